/**
 * Exchange's human-readable NDR, both layouts, any language of the table in
 * exchange-phrases.ts (reference/ndr-codes.md §3c). The phrase patterns live
 * in exchange-patterns.ts, the line scan in exchange-lines.ts, the fields
 * below the headings in exchange-fields.ts; this module reads the sections.
 */
import { addressLine, fixOwner, HOST, paragraph, parseHops, repliesIn } from './exchange-fields.js';
import { detectLanguage, findLine, labelValue, Lines, matchAny } from './exchange-lines.js';
import { COMPILED, type Compiled } from './exchange-patterns.js';
import { clipDiagnostic, LIMITS } from './limits.js';
import { ADDRESS, cleanAddress, foldSpace, type AddressForms } from './text-util.js';
import type { BounceRecipient, ExchangeDetails } from './types.js';
import { makeRecipient } from './types.js';

export interface ExchangeNdr {
  layout: 'exchange-new' | 'exchange-legacy';
  language: string;
  generatingServer: string | null;
  delay: boolean;
  recipients: BounceRecipient[];
  /** Recipients the report lists (the larger of its two sections), also those past LIMITS.maxRecipients. */
  recipientsFound: number;
  details: ExchangeDetails;
  /** Where the quoted original headers start in the text, if they do. */
  originalHeadersAt: number | null;
}

/** Where each part of the report starts: a line index, -1 when the text has no such part. */
interface Sections {
  /** The "Original message headers" heading, or the line count: the report ends there. */
  end: number;
  /** Where the quoted original headers start in the text, if they do. */
  originalHeadersAt: number | null;
  admin: number;
  failedAt: number;
  delayedAt: number;
  headlineAt: number;
  delayHeadlineAt: number;
  rejectedAt: number;
  howToFixAt: number;
  moreInfoAt: number;
  errorDetailsAt: number;
  hopsAt: number;
  originalDetailsAt: number;
  /** The newer layout: a headline, "How to fix it", "More info for email admins" or "Error details". */
  isNew: boolean;
  /** The start of the next section after line `from`, or `end`. */
  nextSection: (from: number) => number;
}

function findSections(scan: Lines): Sections {
  const lines = scan.all;
  let end = findLine(scan, 'originalHeaders', 'heading');
  const originalHeadersAt = end >= 0 ? lines.slice(0, end).join('\n').length + 1 : null;
  if (end < 0) end = lines.length;

  const admin = findLine(scan, 'adminHeading', 'line', 0, end);
  const failedAt = findLine(scan, 'failedTo', 'line', 0, end);
  const delayedAt = findLine(scan, 'delayedTo', 'line', 0, end);
  const headlineAt = findLine(scan, 'headline', 'line', 0, end);
  const delayHeadlineAt = findLine(scan, 'delayHeadline', 'line', 0, end);
  const rejectedAt = findLine(scan, 'rejectedBy', 'line', 0, end);
  const howToFixAt = findLine(scan, 'howToFix', 'heading', 0, end);
  const moreInfoAt = findLine(scan, 'moreInfo', 'heading', 0, end);
  const errorDetailsAt = findLine(scan, 'errorDetails', 'heading', 0, end);
  const hopsAt = findLine(scan, 'messageHops', 'heading', 0, end);
  const originalDetailsAt = findLine(scan, 'originalDetails', 'heading', 0, end);
  const isNew = headlineAt >= 0 || delayHeadlineAt >= 0 || (howToFixAt >= 0 && moreInfoAt >= 0) || errorDetailsAt >= 0;
  const sectionStarts = [howToFixAt, moreInfoAt, errorDetailsAt, hopsAt, originalDetailsAt, admin, end].filter((i) => i >= 0);
  const nextSection = (from: number) => Math.min(...sectionStarts.filter((i) => i > from), end);
  return {
    end,
    originalHeadersAt,
    admin,
    failedAt,
    delayedAt,
    headlineAt,
    delayHeadlineAt,
    rejectedAt,
    howToFixAt,
    moreInfoAt,
    errorDetailsAt,
    hopsAt,
    originalDetailsAt,
    isNew,
    nextSection,
  };
}

/**
 * The newer layout: fills the cause, who fixes it, how, the admin text, the
 * hops and the status code into `details`; returns the generating server and
 * the one recipient the headline or the "Error details" name.
 */
function readNewLayout(
  scan: Lines,
  at: Sections,
  details: ExchangeDetails,
  forms: AddressForms,
): { generatingServer: string | null; recipient: BounceRecipient | null } {
  const lines = scan.all;
  const { end, headlineAt, delayHeadlineAt, howToFixAt, moreInfoAt, errorDetailsAt, hopsAt, nextSection } = at;
  const top = headlineAt >= 0 ? headlineAt : delayHeadlineAt;
  const actionAt = findLine(scan, 'actionRequired', 'line', Math.max(0, top), howToFixAt >= 0 ? howToFixAt : end);
  if (top >= 0) {
    const stop = Math.min(...[actionAt, howToFixAt, moreInfoAt, nextSection(top)].filter((i) => i > top));
    details.cause = paragraph(lines, top + 1, actionAt > top ? Math.min(stop, actionAt - 1) : stop);
  }
  if (actionAt >= 0) details.fixOwner = fixOwner(scan, actionAt);
  if (howToFixAt >= 0) details.howToFix = paragraph(lines, howToFixAt + 1, nextSection(howToFixAt));
  if (moreInfoAt >= 0) details.adminInfo = paragraph(lines, moreInfoAt + 1, nextSection(moreInfoAt));
  if (hopsAt >= 0) details.hops = parseHops(lines, hopsAt + 1, nextSection(hopsAt));
  details.statusCode = labelValue(scan, 'statusCode', 0, end)?.value ?? null;
  const reported = labelValue(scan, 'reportedError', 0, end);
  const generatedBy = labelValue(scan, 'dsnGeneratedBy', 0, end);
  const remote = labelValue(scan, 'remoteServerLabel', errorDetailsAt >= 0 ? errorDetailsAt : 0, end);
  const rcptLabel = labelValue(scan, 'recipientAddress', 0, end);
  const generatingServer = generatedBy?.value.split(/\s+/)[0] ?? null;
  const headline = top >= 0 ? matchAny(scan, headlineAt >= 0 ? 'headline' : 'delayHeadline', 'line', top) : null;
  const fromHeadline = headline?.slice(1).find((g) => g && ADDRESS.for(g, forms).test(g));
  const rcpt = fromHeadline
    ? cleanAddress(fromHeadline)
    : rcptLabel
      ? (ADDRESS.for(rcptLabel.value, forms).exec(rcptLabel.value)?.[0] ?? null)
      : null;
  const diagnostic = reported?.value ?? details.statusCode;
  if (!rcpt && !diagnostic) return { generatingServer, recipient: null };
  const recipient = makeRecipient('exchange', {
    recipient: rcpt,
    diagnostic: diagnostic ? clipDiagnostic(diagnostic) : null,
    remoteMta: remote && HOST.test(remote.value.split(/\s+/)[0]!) ? remote.value.split(/\s+/)[0]! : null,
    action: delayHeadlineAt >= 0 && headlineAt < 0 ? 'delayed' : null,
  });
  return { generatingServer, recipient };
}

/** "mx.fabrikam.example rejected your message to the following email addresses:": the host, if it is one. */
function rejectingHostOf(scan: Lines, rejectedAt: number): string | null {
  if (rejectedAt < 0) return null;
  const m = matchAny(scan, 'rejectedBy', 'line', rejectedAt);
  const host = m?.slice(1).find((g) => g);
  return host && HOST.test(host) ? host.replace(/\.$/, '') : null;
}

/** The legacy layout's admin section: the generating server, and a block of reply lines per recipient. */
function readAdminSection(
  scan: Lines,
  at: Sections,
  c: Compiled,
  rejectingHost: string | null,
  forms: AddressForms,
): { generatingServer: string | null; recipients: BounceRecipient[]; found: number } {
  const lines = scan.all;
  const { admin, end: adminEnd } = at;
  const gen = labelValue(scan, 'generatingServer', admin, adminEnd);
  const recv = labelValue(scan, 'receivingServer', admin, adminEnd);
  const skip = new Set([gen?.line, recv?.line].filter((x): x is number => x !== undefined));
  let current: { address: string; lines: string[] } | null = null;
  const blocks: { address: string; lines: string[] }[] = [];
  for (let i = admin + 1; i < adminEnd; i++) {
    if (skip.has(i) || scan.startsWithLabel(i)) continue;
    const address = addressLine(lines[i]!, forms);
    if (address && !/[#']/.test(lines[i]!)) {
      current = { address, lines: [] };
      blocks.push(current);
      continue;
    }
    current?.lines.push(lines[i]!);
  }
  const recipients = blocks.slice(0, LIMITS.maxRecipients).map((b) => {
    const body = b.lines.join('\n');
    const replies = repliesIn(body, c);
    const hostLine = b.lines.map((l) => l.trim()).find((l) => HOST.test(l));
    return makeRecipient('exchange', {
      recipient: b.address,
      diagnostic: clipDiagnostic(replies.length ? [...new Set(replies.map((r) => r.text))].join(' | ') : foldSpace(body)) || null,
      remoteMta: replies.find((r) => r.remoteMta)?.remoteMta ?? hostLine?.replace(/\.$/, '') ?? rejectingHost,
    });
  });
  return { generatingServer: gen ? gen.value.split(/\s+/)[0]! : null, recipients, found: blocks.length };
}

const clipOrNull = (text: string | undefined): string | null => (text ? clipDiagnostic(text) : null);

/**
 * The user section: its recipients and their plain-language reason. Sets the
 * cause when the newer layout gave none, adds the recipients the admin section
 * did not list (or gives them the reason), and returns how many it lists.
 */
function readUserSection(
  scan: Lines,
  at: Sections,
  details: ExchangeDetails,
  recipients: BounceRecipient[],
  rejectingHost: string | null,
  forms: AddressForms,
): number {
  const lines = scan.all;
  const { admin, failedAt, delayedAt, rejectedAt } = at;
  const userAt = failedAt >= 0 ? failedAt : delayedAt >= 0 ? delayedAt : rejectedAt;
  if (userAt < 0) return 0;
  const stop = admin > userAt ? admin : at.nextSection(userAt);
  const users: { address: string; reason: string[] }[] = [];
  // "Did not reach the following recipient: user@example.com": the address on the heading's own line.
  const heading = userAt !== rejectedAt ? matchAny(scan, failedAt >= 0 ? 'failedTo' : 'delayedTo', 'line', userAt) : null;
  const sameLine = heading
    ? addressLine(lines[userAt]!.slice(heading.index + heading[0].length).replace(/^(?:\(s\)|s)?[\s:]+/, ''), forms)
    : null;
  if (sameLine) users.push({ address: sameLine, reason: [] });
  for (let i = userAt + 1; i < stop; i++) {
    const address = addressLine(lines[i]!, forms);
    if (address) users.push({ address, reason: [] });
    else if (users.length && lines[i]!.trim()) users[users.length - 1]!.reason.push(lines[i]!);
  }
  // The user section's plain-language reason is the classic layout's "cause". Recipients
  // shown by display name only (IMCEAEX, groups) leave a name line before the reason.
  details.cause ??= clipOrNull(users.map((u) => foldSpace(u.reason.join(' '))).find(Boolean));
  if (!users.length) {
    const body = lines
      .slice(userAt + 1, stop)
      .map((l) => l.trim())
      .filter(Boolean);
    if (body.length > 1 && body[0]!.length < 80 && !/[.!?]$/.test(body[0]!)) body.shift();
    details.cause ??= clipDiagnostic(foldSpace(body.join(' '))) || null;
  }
  for (const u of users.slice(0, LIMITS.maxRecipients)) {
    const known = recipients.find((r) => r.recipient?.toLowerCase() === u.address.toLowerCase());
    const reason = clipDiagnostic(foldSpace(u.reason.join(' '))) || null;
    if (known) {
      if (!known.diagnostic) known.diagnostic = reason;
    } else if (admin < 0 || !recipients.length) {
      recipients.push(makeRecipient('exchange', { recipient: u.address, diagnostic: reason, remoteMta: rejectingHost }));
    }
  }
  return users.length;
}

/** The newer layout's recipient: completes the same recipient of the other sections, or comes first. */
function mergeNewRecipient(recipients: BounceRecipient[], added: BounceRecipient): void {
  const same = recipients.find((r) => !added.recipient || r.recipient?.toLowerCase() === added.recipient.toLowerCase());
  if (same) {
    same.remoteMta ??= added.remoteMta;
    if (added.diagnostic && !/[245]\.\d+\.\d+/.test(same.diagnostic ?? '')) same.diagnostic = added.diagnostic;
  } else {
    recipients.unshift(added);
  }
}

/** Reads an Exchange NDR from the human-readable text; null when the text is not one. */
export function parseExchangeText(input: string, forms: AddressForms = 'fit'): ExchangeNdr | null {
  const text = input.slice(0, LIMITS.maxScanChars);
  const scan = new Lines(text);
  const { lang, hits } = detectLanguage(scan);
  if (hits === 0) return null;
  const c = COMPILED.find((x) => x.lang === lang)!;

  const at = findSections(scan);
  if (!at.isNew && at.admin < 0 && at.failedAt < 0 && at.delayedAt < 0) return null;

  const details: ExchangeDetails = { cause: null, fixOwner: null, howToFix: null, adminInfo: null, statusCode: null, hops: [] };
  const newLayout = at.isNew ? readNewLayout(scan, at, details, forms) : null;
  let generatingServer = newLayout?.generatingServer ?? null;
  const rejectingHost = rejectingHostOf(scan, at.rejectedAt);
  const recipients: BounceRecipient[] = [];
  let recipientsFound = 0;
  if (at.admin >= 0) {
    const adminSection = readAdminSection(scan, at, c, rejectingHost, forms);
    generatingServer ??= adminSection.generatingServer;
    recipients.push(...adminSection.recipients);
    recipientsFound = adminSection.found;
  }
  recipientsFound = Math.max(recipientsFound, readUserSection(scan, at, details, recipients, rejectingHost, forms));
  if (newLayout?.recipient) mergeNewRecipient(recipients, newLayout.recipient);

  let delay = at.delayedAt >= 0 || at.delayHeadlineAt >= 0;
  if (delay) for (const r of recipients) r.action ??= 'delayed';
  delay = delay && at.failedAt < 0 && at.headlineAt < 0;

  return {
    layout: at.isNew ? 'exchange-new' : 'exchange-legacy',
    language: lang,
    generatingServer: generatingServer?.replace(/\.$/, '') ?? null,
    delay,
    recipients,
    recipientsFound,
    details,
    originalHeadersAt: at.originalHeadersAt,
  };
}
