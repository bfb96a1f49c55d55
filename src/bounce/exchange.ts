/**
 * Exchange's human-readable NDR, both layouts, any language of the table in
 * exchange-phrases.ts (reference/ndr-codes.md §3c).
 */
import { EXCHANGE_LANGUAGES, type ExchangeLanguage } from './exchange-phrases.js';
import { LIMITS } from './limits.js';
import { ADDRESS, ADDRESS_SOURCE, BARE_ADDRESS, cleanAddress, escapeRegExp, foldSpace, phrasePattern } from './text-util.js';
import type { BounceRecipient, ExchangeDetails, ExchangeHop, FixOwner } from './types.js';
import { makeRecipient } from './types.js';

export interface ExchangeNdr {
  layout: 'exchange-new' | 'exchange-legacy';
  language: string;
  generatingServer: string | null;
  delay: boolean;
  recipients: BounceRecipient[];
  details: ExchangeDetails;
  /** Where the quoted original headers start in the text, if they do. */
  originalHeadersAt: number | null;
}

type PhraseKey = Exclude<keyof ExchangeLanguage, 'lang' | 'parties'>;

interface Compiled {
  lang: string;
  line: Map<PhraseKey, RegExp>;
}

function compile(l: ExchangeLanguage): Compiled {
  const line = new Map<PhraseKey, RegExp>();
  for (const key of Object.keys(l) as (keyof ExchangeLanguage)[]) {
    if (key === 'lang' || key === 'parties') continue;
    const list = l[key] as string[];
    const alts = list.map((p) =>
      p
        .split(/\{rcpt\}|\{host\}/)
        .map(phrasePattern)
        // Bounded: an unbounded lazy class here would make the search quadratic on hostile text.
        .join(String.raw`\s*<?(?:mailto:)?([^\s<>@]{1,128}@[^\s<>]{1,255}?|[^\s<>]{1,255}?)>?\s*`),
    );
    line.set(key, new RegExp(`(?:${alts.join('|')})`, 'iu'));
  }
  return { lang: l.lang, line };
}

const COMPILED = EXCHANGE_LANGUAGES.map(compile);
const ALL = new Map<PhraseKey, RegExp>();
for (const key of COMPILED[0]!.line.keys()) {
  ALL.set(key, new RegExp(COMPILED.map((c) => c.line.get(key)!.source).join('|'), 'iu'));
}

/** Phrases that only Exchange NDRs carry; the language with most hits wins. */
const SIGNATURE_KEYS: PhraseKey[] = ['failedTo', 'delayedTo', 'adminHeading', 'generatingServer', 'originalHeaders', 'headline', 'delayHeadline', 'rejectedBy', 'howToFix', 'moreInfo', 'errorDetails', 'reportedError', 'dsnGeneratedBy', 'messageHops', 'originalDetails'];

/** Exchange writes short lines; longer ones are skipped, so no pattern runs over hostile megabyte lines. */
const MAX_LINE = 4000;

function detectLanguage(lines: string[]): { lang: string; hits: number } {
  let best = { lang: 'en', hits: 0 };
  for (const c of COMPILED) {
    let hits = 0;
    for (const key of SIGNATURE_KEYS) if (findLine(lines, c.line.get(key)!) >= 0) hits++;
    if (hits > best.hits) best = { lang: c.lang, hits };
  }
  return best;
}

function findLine(lines: string[], re: RegExp, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (lines[i]!.length <= MAX_LINE && re.test(lines[i]!)) return i;
  return -1;
}

/** "Label: value" on one line, or the label alone and the value on the next non-empty line. */
function labelValue(lines: string[], re: RegExp, from = 0, to = lines.length): { value: string; line: number } | null {
  const labelled = new RegExp(`^\\s*(?:${re.source})\\s*:?\\s*(.*)$`, 'iu');
  for (let i = from; i < to; i++) {
    if (lines[i]!.length > MAX_LINE) continue;
    const m = labelled.exec(lines[i]!);
    if (!m) continue;
    const rest = (m.slice(1).reverse().find((g) => g !== undefined) ?? '').trim();
    if (rest) return { value: rest, line: i };
    for (let j = i + 1; j < Math.min(to, i + 4); j++) if (lines[j]!.trim()) return { value: lines[j]!.trim(), line: j };
    return null;
  }
  return null;
}

function paragraph(lines: string[], from: number, to: number): string | null {
  const text = foldSpace(lines.slice(Math.max(0, from), Math.max(from, to)).join('\n'));
  return text ? text.slice(0, LIMITS.maxDiagnosticChars) : null;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z0-9-]{2,63}\.?$/;

/** A line that names only an address ("user@example.com", "Name (user@example.com)", "user@example.com<mailto:...>", "user@example.com on <date>"). */
function addressLine(line: string): string | null {
  const t = line.trim();
  if (!t || t.length > 400) return null;
  const first = t.split(/\s+|<mailto:/)[0]!;
  const firstClean = cleanAddress(first);
  if (BARE_ADDRESS.test(firstClean)) return firstClean;
  // "Display Name (user@example.com)" or "Display Name <user@example.com>"
  const m = new RegExp(`^[^@:;'"]{0,80}[(<](${ADDRESS_SOURCE})[)>]\\s*(?:<mailto:[^>]*>)?\\s*$`, 'u').exec(t);
  return m ? m[1]! : null;
}

interface Reply {
  text: string;
  remoteMta: string | null;
}

// '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##'
const HASH_REPLY = /#\s*((?:[245]\d\d|<[^>]{0,300}>)[^#]{0,600}?)\s*##/g;
// 'mail.contoso.com #<exchange.contoso.com #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#'
const SMTP_WRAPPED = /(?:^|\s)(\S+)?\s*#<([^>]{0,800})>\s*#SMTP#/g;
const QUOTED = /['\u2018\u201a]((?:[^'\u2019\n]|\n(?!\n)){3,1500})['\u2019]/g;
const CODE_IN = /(?:^|\D)[245]\d\d(?:\D|$)|[245]\.\d{1,3}\.\d{1,3}/;

/** The SMTP replies a legacy admin block quotes, newest first as Exchange lists them. */
function repliesIn(block: string, lang: Compiled): Reply[] {
  const replies: Reply[] = [];
  const remoteRe = lang.line.get('remoteServer')!;
  const atHost = /\b(?:at|på|unter|ved)\s+([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)/i;
  for (const m of block.matchAll(SMTP_WRAPPED)) {
    const inner = m[2]!;
    const smtp = /smtp;\s*(.*)$/is.exec(inner);
    replies.push({ text: foldSpace(smtp ? smtp[1]! : inner), remoteMta: m[1] && HOST.test(m[1]) ? m[1] : null });
  }
  if (!replies.length) {
    for (const m of block.matchAll(QUOTED)) {
      if (!CODE_IN.test(m[1]!)) continue;
      const before = block.slice(Math.max(0, m.index! - 200), m.index!);
      const lineStart = before.lastIndexOf('\n\n');
      const lead = before.slice(lineStart + 1);
      const host = remoteRe.test(lead) || /returned|returnerte|returnerede|returnerade|zurückgegeben|hat/i.test(lead) ? atHost.exec(lead)?.[1] ?? null : null;
      replies.push({ text: foldSpace(m[1]!), remoteMta: host });
    }
  }
  if (!replies.length) for (const m of block.matchAll(HASH_REPLY)) replies.push({ text: foldSpace(m[1]!.replace(/^<|>$/g, '')), remoteMta: null });
  return replies;
}

function parseHops(lines: string[], from: number, to: number): ExchangeHop[] {
  const hops: ExchangeHop[] = [];
  for (let i = from; i < to && hops.length < LIMITS.maxHops; i++) {
    const cells = lines[i]!.trim().split(/\t+|\s{2,}/).map((c) => c.trim()).filter(Boolean);
    if (cells.length < 3 || !/^\d{1,3}$/.test(cells[0]!)) continue;
    hops.push({
      hop: Number(cells[0]),
      time: cells[1] ?? null,
      from: cells[2] ?? null,
      to: cells[3] ?? null,
      with: cells[4] ?? null,
      relayTime: cells[5] ?? null,
    });
  }
  return hops;
}

function fixOwner(lines: string[], actionLine: number): FixOwner | null {
  const parties: { owner: FixOwner; words: string[] }[] = [
    { owner: 'sender', words: EXCHANGE_LANGUAGES.flatMap((l) => l.parties.sender) },
    { owner: 'service', words: EXCHANGE_LANGUAGES.flatMap((l) => l.parties.service) },
    { owner: 'recipient', words: EXCHANGE_LANGUAGES.flatMap((l) => l.parties.recipient) },
  ];
  const find = (line: string) =>
    parties
      .flatMap((p) => p.words.map((w) => ({ owner: p.owner, at: line.search(new RegExp(`(?:^|\\s)${escapeRegExp(w)}(?:\\s|$)`, 'iu')) })))
      .filter((x) => x.at >= 0);
  const line = lines[actionLine]!;
  const actionRe = ALL.get('actionRequired')!;
  const actionAt = line.search(actionRe);
  const withoutAction = line.replace(actionRe, (s) => ' '.repeat(s.length));
  const same = find(withoutAction);
  if (same.length === 1) return same[0]!.owner;
  // A text table: the party whose column is nearest to "Action Required".
  for (const j of [actionLine - 1, actionLine + 1, actionLine - 2]) {
    const other = lines[j];
    if (other === undefined) continue;
    const hits = find(other);
    if (hits.length === 1 && j > actionLine) return hits[0]!.owner;
    if (hits.length > 1) {
      hits.sort((a, b) => Math.abs(a.at - actionAt) - Math.abs(b.at - actionAt));
      return hits[0]!.owner;
    }
  }
  return same[0]?.owner ?? null;
}


/** Reads an Exchange NDR from the human-readable text; null when the text is not one. */
export function parseExchangeText(input: string): ExchangeNdr | null {
  const text = input.slice(0, LIMITS.maxScanChars);
  const lines = text.split('\n');
  const { lang, hits } = detectLanguage(lines);
  if (hits === 0) return null;
  const c = COMPILED.find((x) => x.lang === lang)!;
  const re = (key: PhraseKey) => ALL.get(key)!;

  let end = findLine(lines, new RegExp(`^\\s*(?:${re('originalHeaders').source})\\s*:?\\s*$`, 'iu'));
  const originalHeadersAt = end >= 0 ? lines.slice(0, end).join('\n').length + 1 : null;
  if (end < 0) end = lines.length;

  const admin = findLine(lines, re('adminHeading'), 0, end);
  const failedAt = findLine(lines, re('failedTo'), 0, end);
  const delayedAt = findLine(lines, re('delayedTo'), 0, end);
  const headlineAt = findLine(lines, re('headline'), 0, end);
  const delayHeadlineAt = findLine(lines, re('delayHeadline'), 0, end);
  const rejectedAt = findLine(lines, re('rejectedBy'), 0, end);
  const howToFixAt = findLine(lines, new RegExp(`^\\s*(?:${re('howToFix').source})\\s*:?\\s*$`, 'iu'), 0, end);
  const moreInfoAt = findLine(lines, new RegExp(`^\\s*(?:${re('moreInfo').source})\\s*:?\\s*$`, 'iu'), 0, end);
  const errorDetailsAt = findLine(lines, new RegExp(`^\\s*(?:${re('errorDetails').source})\\s*:?\\s*$`, 'iu'), 0, end);
  const hopsAt = findLine(lines, new RegExp(`^\\s*(?:${re('messageHops').source})\\s*:?\\s*$`, 'iu'), 0, end);
  const originalDetailsAt = findLine(lines, new RegExp(`^\\s*(?:${re('originalDetails').source})\\s*:?\\s*$`, 'iu'), 0, end);
  const isNew = headlineAt >= 0 || delayHeadlineAt >= 0 || (howToFixAt >= 0 && moreInfoAt >= 0) || errorDetailsAt >= 0;
  if (!isNew && admin < 0 && failedAt < 0 && delayedAt < 0) return null;

  const details: ExchangeDetails = { cause: null, fixOwner: null, howToFix: null, adminInfo: null, statusCode: null, hops: [] };
  const sectionStarts = [howToFixAt, moreInfoAt, errorDetailsAt, hopsAt, originalDetailsAt, admin, end].filter((i) => i >= 0);
  const nextSection = (from: number) => Math.min(...sectionStarts.filter((i) => i > from), end);

  let generatingServer: string | null = null;
  const recipients: BounceRecipient[] = [];
  let delay = delayedAt >= 0 || delayHeadlineAt >= 0;

  // Newer layout.
  let newRecipient: BounceRecipient | null = null;
  if (isNew) {
    const top = headlineAt >= 0 ? headlineAt : delayHeadlineAt;
    const actionAt = findLine(lines, re('actionRequired'), Math.max(0, top), howToFixAt >= 0 ? howToFixAt : end);
    if (top >= 0) {
      const stop = Math.min(...[actionAt, howToFixAt, moreInfoAt, nextSection(top)].filter((i) => i > top));
      details.cause = paragraph(lines, top + 1, actionAt > top ? Math.min(stop, actionAt - 1) : stop);
    }
    if (actionAt >= 0) details.fixOwner = fixOwner(lines, actionAt);
    if (howToFixAt >= 0) details.howToFix = paragraph(lines, howToFixAt + 1, nextSection(howToFixAt));
    if (moreInfoAt >= 0) details.adminInfo = paragraph(lines, moreInfoAt + 1, nextSection(moreInfoAt));
    if (hopsAt >= 0) details.hops = parseHops(lines, hopsAt + 1, nextSection(hopsAt));
    details.statusCode = labelValue(lines, re('statusCode'), 0, end)?.value ?? null;
    const reported = labelValue(lines, re('reportedError'), 0, end);
    const generatedBy = labelValue(lines, re('dsnGeneratedBy'), 0, end);
    const remote = labelValue(lines, re('remoteServerLabel'), errorDetailsAt >= 0 ? errorDetailsAt : 0, end);
    const rcptLabel = labelValue(lines, re('recipientAddress'), 0, end);
    generatingServer = generatedBy?.value.split(/\s+/)[0] ?? null;
    const headline = top >= 0 ? re(headlineAt >= 0 ? 'headline' : 'delayHeadline').exec(lines[top]!) : null;
    const fromHeadline = headline?.slice(1).find((g) => g && ADDRESS.test(g));
    const rcpt = fromHeadline ? cleanAddress(fromHeadline) : rcptLabel ? (ADDRESS.exec(rcptLabel.value)?.[0] ?? null) : null;
    const diagnostic = reported?.value ?? details.statusCode;
    if (rcpt || diagnostic) {
      newRecipient = makeRecipient('exchange', {
        recipient: rcpt,
        diagnostic: diagnostic ? diagnostic.slice(0, LIMITS.maxDiagnosticChars) : null,
        remoteMta: remote && HOST.test(remote.value.split(/\s+/)[0]!) ? remote.value.split(/\s+/)[0]! : null,
        action: delayHeadlineAt >= 0 && headlineAt < 0 ? 'delayed' : null,
      });
    }
  }

  // "mx.fabrikam.example rejected your message to the following email addresses:"
  let rejectingHost: string | null = null;
  if (rejectedAt >= 0) {
    const m = re('rejectedBy').exec(lines[rejectedAt]!);
    const host = m?.slice(1).find((g) => g);
    if (host && HOST.test(host)) rejectingHost = host.replace(/\.$/, '');
  }

  // Legacy layout: the admin section.
  if (admin >= 0) {
    const adminEnd = end;
    const gen = labelValue(lines, re('generatingServer'), admin, adminEnd);
    const recv = labelValue(lines, re('receivingServer'), admin, adminEnd);
    if (gen) generatingServer ??= gen.value.split(/\s+/)[0]!;
    const skip = new Set([gen?.line, recv?.line].filter((x): x is number => x !== undefined));
    const labelLines = new RegExp(`^\\s*(?:${re('generatingServer').source}|${re('receivingServer').source})`, 'iu');
    let current: { address: string; lines: string[] } | null = null;
    const blocks: { address: string; lines: string[] }[] = [];
    for (let i = admin + 1; i < adminEnd; i++) {
      if (skip.has(i) || labelLines.test(lines[i]!)) continue;
      const address = addressLine(lines[i]!);
      if (address && !/[#']/.test(lines[i]!)) {
        current = { address, lines: [] };
        blocks.push(current);
        continue;
      }
      current?.lines.push(lines[i]!);
    }
    for (const b of blocks.slice(0, LIMITS.maxRecipients)) {
      const body = b.lines.join('\n');
      const replies = repliesIn(body, c);
      const hostLine = b.lines.map((l) => l.trim()).find((l) => HOST.test(l));
      recipients.push(
        makeRecipient('exchange', {
          recipient: b.address,
          diagnostic: (replies.length ? [...new Set(replies.map((r) => r.text))].join(' | ') : foldSpace(body)).slice(0, LIMITS.maxDiagnosticChars) || null,
          remoteMta: replies.find((r) => r.remoteMta)?.remoteMta ?? hostLine?.replace(/\.$/, '') ?? rejectingHost,
        }),
      );
    }
  }

  // The user section: recipients and their plain-language reason.
  const userAt = failedAt >= 0 ? failedAt : delayedAt >= 0 ? delayedAt : rejectedAt;
  if (userAt >= 0) {
    const stop = admin > userAt ? admin : nextSection(userAt);
    const users: { address: string; reason: string[] }[] = [];
    for (let i = userAt + 1; i < stop; i++) {
      const address = addressLine(lines[i]!);
      if (address) users.push({ address, reason: [] });
      else if (users.length && lines[i]!.trim()) users[users.length - 1]!.reason.push(lines[i]!);
    }
    // The user section's plain-language reason is the classic layout's "cause". Recipients
    // shown by display name only (IMCEAEX, groups) leave a name line before the reason.
    details.cause ??= users.map((u) => foldSpace(u.reason.join(' '))).find(Boolean)?.slice(0, LIMITS.maxDiagnosticChars) ?? null;
    if (!users.length) {
      const body = lines.slice(userAt + 1, stop).map((l) => l.trim()).filter(Boolean);
      if (body.length > 1 && body[0]!.length < 80 && !/[.!?]$/.test(body[0]!)) body.shift();
      details.cause ??= foldSpace(body.join(' ')).slice(0, LIMITS.maxDiagnosticChars) || null;
    }
    for (const u of users.slice(0, LIMITS.maxRecipients)) {
      const known = recipients.find((r) => r.recipient?.toLowerCase() === u.address.toLowerCase());
      const reason = foldSpace(u.reason.join(' ')).slice(0, LIMITS.maxDiagnosticChars) || null;
      if (known) {
        if (!known.diagnostic) known.diagnostic = reason;
      } else if (admin < 0 || !recipients.length) {
        recipients.push(makeRecipient('exchange', { recipient: u.address, diagnostic: reason, remoteMta: rejectingHost }));
      }
    }
  }

  if (newRecipient) {
    const same = recipients.find((r) => !newRecipient!.recipient || r.recipient?.toLowerCase() === newRecipient!.recipient.toLowerCase());
    if (same) {
      same.remoteMta ??= newRecipient.remoteMta;
      if (newRecipient.diagnostic && !/[245]\.\d+\.\d+/.test(same.diagnostic ?? '')) same.diagnostic = newRecipient.diagnostic;
    } else {
      recipients.unshift(newRecipient);
    }
  }
  if (delay) for (const r of recipients) r.action ??= 'delayed';
  delay = delay && failedAt < 0 && headlineAt < 0;

  return {
    layout: isNew ? 'exchange-new' : 'exchange-legacy',
    language: lang,
    generatingServer: generatingServer?.replace(/\.$/, '') ?? null,
    delay,
    recipients,
    details,
    originalHeadersAt,
  };
}
