/**
 * The plain-text bounces of other mail systems (Postfix, Exim, Sendmail,
 * qmail, Gmail, Yahoo, Notes, Courier …), where the failed addresses and the
 * codes often stand only in prose. Generic rules, no per-vendor code:
 *
 * 1. Cut the text where it starts quoting the returned message.
 * 2. Anchors (recipient-anchors.ts): a line that starts with an address ("  user@example.com",
 *    "<user@example.com>: ...", "Recipient: <...>", ">>> user@...") and every
 *    "RCPT TO:<address>" of an SMTP transcript. The text from one anchor to the
 *    next belongs to the anchor's address.
 * 3. Without anchors, the first address in a sentence about the failure.
 * 4. Codes: the reply code + enhanced code the server said ("550 5.1.1"), see
 *    chooseStatus(); only codes that stand where codes stand, never a version
 *    number or a 2.x.x code (findCodes, failureCodes); without a code, a reply
 *    code alone; a code is inferred from the wording only where it truly
 *    implies one, and flagged.
 */
import { clipDiagnostic, LIMITS } from './limits.js';
import { IMPLIED_CODES, QUOTED_HEADER_ANY, QUOTED_HEADER_START, RETURNED_MESSAGE_MARKERS } from './phrases.js';
import { findAnchors, proseAnchor, senderAddresses, withoutHeaderAnchors } from './recipient-anchors.js';
import {
  AddressPattern,
  caseless,
  cleanAddress,
  findCodes,
  findReplyCodes,
  foldSpace,
  isExpiryStatus,
  isGenericStatus,
  sameAddress,
  type AddressForms,
  type CodeHit,
} from './text-util.js';
import type { BounceRecipient } from './types.js';
import { makeRecipient } from './types.js';

export interface TextSplit {
  /** The bounce's own words. */
  section: string;
  /** The quoted returned message (headers first), if the text quotes one. */
  returned: string | null;
}

/** Finds where the text starts quoting the returned message: a marker line, or a block of its headers. */
export function splitReturnedMessage(text: string): TextSplit {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (RETURNED_MESSAGE_MARKERS.some((re) => re.test(line))) {
      return { section: text.slice(0, offset), returned: text.slice(offset + line.length + 1).replace(/^\s*\n/, '') };
    }
    if (QUOTED_HEADER_START.test(line)) {
      let fields = 1;
      for (let j = i + 1; j < Math.min(lines.length, i + 12) && fields < 3; j++) {
        const next = lines[j]!;
        if (/^[ \t]+\S/.test(next)) continue;
        if (QUOTED_HEADER_ANY.test(next)) fields++;
        else break;
      }
      if (fields >= 2) return { section: text.slice(0, offset), returned: text.slice(offset) };
    }
    offset += line.length + 1;
  }
  return { section: text, returned: null };
}

const EXPANDED_FROM = new AddressPattern(
  (address) => caseless(String.raw`\((?:expanded|(?:ultimately )?generated) from\s*<?`) + String.raw`(${address})>?\)`,
  'u',
);

export interface TextContext {
  /** The bounce's own From: the mail system, never a failed recipient. */
  from: string[];
  /** The bounce's own To: the original sender, a failed recipient only where the text says so explicitly. */
  to: string[];
  /** True for a delay notice (inferred codes get class 4). */
  delay: boolean;
  /** The address patterns' form (text-util AddressForms); default 'fit'. */
  addressForms?: AddressForms;
}

/**
 * The codes that can be a failure's: RFC 3463 §3.1 class 2 says "success", so a 2.x.x code is
 * never the status of a failed or delayed recipient (a transcript's "250 2.1.5 Ok" before the
 * "451 4.3.0" that failed). A code in running words ("release 5.1.0 is out") counts only where
 * the text has no code that stands as one.
 */
export function failureCodes(hits: CodeHit[]): CodeHit[] {
  const failing = hits.filter((h) => h.status === null || h.status[0] !== '2');
  const standing = failing.filter((h) => h.stands);
  return standing.length ? standing : failing;
}

/**
 * Picks the code that best says why delivery failed:
 * - the DSN's Status field, when it is specific, unless the Diagnostic-Code opens with the
 *   server's own reply and code of the same class ("550 5.7.1"): that is what the server said;
 * - X.0.0 says only "failed": a specific code the server replied with wins (RFC 3463 §3.1);
 * - X.4.7 says only "gave up": the reason of the earlier attempts wins, when the text keeps it;
 * - without a Status field, the code the server replied with ("550 5.1.1") before any other;
 * - a code in running words only where no code stands as a reply or field (CodeHit.stands);
 * - never a 2.x.x code (see failureCodes).
 */
export function chooseStatus(statusField: string | null, found: CodeHit[], said: CodeHit | null = null): CodeHit | null {
  const hits = failureCodes(found);
  const specific = (h: CodeHit) => h.status !== null && !isGenericStatus(h.status) && !isExpiryStatus(h.status);
  const primary: CodeHit | null = statusField
    ? {
        status: statusField,
        replyCode: hits.find((h) => h.status === statusField)?.replyCode ?? null,
        index: -1,
        paired: false,
        stands: true,
      }
    : (hits.find((h) => h.paired) ?? hits[0] ?? null);
  if (!primary?.status) return primary;
  // The refusing server's own words ("Diagnostic-Code: smtp; 550 5.7.1 ...") outrank the
  // reporting MTA's translation of them into its Status field, within the same class.
  if (said && statusField && said.status !== statusField && specific(said) && said.status![0] === statusField[0]) return said;
  if (isGenericStatus(primary.status) || isExpiryStatus(primary.status)) {
    const better = hits.find((h) => specific(h) && h.paired) ?? hits.find(specific);
    if (better && better.status![0] !== '2') return better;
    if (isGenericStatus(primary.status)) {
      const other = hits.find((h) => h.status && !isGenericStatus(h.status));
      if (other) return other;
    }
  }
  return primary;
}

/** The class digit an inferred code gets: from the reply code, else from the kind of report. */
function impliedClass(replyCode: string | null, delay: boolean): string {
  if (replyCode && (replyCode[0] === '4' || replyCode[0] === '5')) return replyCode[0];
  return delay ? '4' : '5';
}

export function inferStatus(text: string, replyCode: string | null, delay: boolean): string | null {
  for (const { pattern, subjectDetail } of IMPLIED_CODES) {
    if (pattern.test(text)) return `${impliedClass(replyCode, delay)}.${subjectDetail}`;
  }
  return null;
}

const REMOTE_MTA: RegExp[] = [
  /\bhost\s+([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})\.?\s*\[[0-9A-Fa-f.:]+\]/,
  /^[ \t]*([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})\.?[ \t]*\[[0-9A-Fa-f.:]+\][ \t]+(?:did not like|said|refused)/m,
  /\bwhile talking to\s+([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})/i,
  /\bfor the recipient domain\s+\S+\s+by\s+([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})/i,
  /\bremote[- ]mta:\s*(?:dns;\s*)?([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})/i,
  /\b(?:connect(?:ing|ion)? to|delivering to)\s+([A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,})\.?\s*(?:\[|\()/i,
];

export function findRemoteMta(text: string): string | null {
  for (const re of REMOTE_MTA) {
    const m = re.exec(text);
    if (m && !/^\d+(?:\.\d+)+$/.test(m[1]!)) return m[1]!;
  }
  return null;
}

/** The lines around a code, up to the paragraph's ends, folded: the server's reply as quoted. */
function replyParagraph(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf('\n\n', index) + 1, 0);
  let end = text.indexOf('\n\n', index);
  if (end < 0) end = text.length;
  return clipDiagnostic(foldSpace(text.slice(start, end)));
}

/** Facts for one recipient from the text that belongs to it. */
export function factsFromText(
  text: string,
  ctx: Pick<TextContext, 'delay'>,
): Omit<BounceRecipient, 'recipient' | 'source' | 'originalRecipient' | 'action' | 'lastAttemptDate' | 'willRetryUntil'> {
  const scan = text.slice(0, LIMITS.maxScanChars);
  const hits = findCodes(scan);
  const chosen = chooseStatus(null, hits);
  let replyCode = chosen?.replyCode ?? null;
  let at = chosen?.index ?? -1;
  if (!replyCode) {
    // A 2xx reply ("250 Ok" of a transcript) is not why delivery failed.
    const lone = findReplyCodes(scan).find((h) => h.replyCode![0] !== '2');
    if (lone) {
      replyCode = lone.replyCode;
      if (at < 0) at = lone.index;
    }
  }
  const diagnostic = at >= 0 ? replyParagraph(scan, at) : clipDiagnostic(foldSpace(scan));
  let status = chosen?.status ?? null;
  let statusInferred = false;
  if (!status) {
    status = inferStatus(scan, replyCode, ctx.delay);
    statusInferred = status !== null;
  }
  return { status, statusInferred, replyCode, command: null, remoteMta: findRemoteMta(scan), diagnostic: diagnostic || null };
}

/** Failed recipients and their facts from a plain-text bounce section. */
export function parseTextBounce(section: string, ctx: TextContext): BounceRecipient[] {
  return readTextBounce(section, ctx).recipients;
}

/** The failed recipients of a bounce's text, and how many it names (also those past LIMITS.maxRecipients). */
export function readTextBounce(section: string, ctx: TextContext): { recipients: BounceRecipient[]; found: number } {
  const text = section.slice(0, LIMITS.maxScanChars);
  const lines = text.split('\n');
  const forms = ctx.addressForms ?? 'fit';
  const always = new Set(ctx.from.map((a) => a.toLowerCase()));
  for (const a of senderAddresses(text, forms)) always.add(a);
  const soft = new Set(ctx.to.map((a) => a.toLowerCase()));

  let anchors = withoutHeaderAnchors(findAnchors(lines, always, soft, forms), lines);
  if (!anchors.length) {
    const prose = proseAnchor(lines, new Set([...always, ...soft]), forms);
    if (prose) anchors = [prose];
  }
  if (!anchors.length) return { recipients: [], found: 0 };

  const order: string[] = [];
  const beyond = new Set<string>();
  const pieces = new Map<string, string[]>();
  const coveredUntil = new Map<string, number>();
  anchors.sort((a, b) => a.line - b.line);
  let scanned = 0;
  anchors.forEach((a, i) => {
    const key = a.address.toLowerCase();
    if (!pieces.has(key)) {
      if (order.length >= LIMITS.maxRecipients) {
        beyond.add(key);
        return;
      }
      pieces.set(key, []);
      order.push(a.address);
    }
    // A later anchor inside the stretch already taken for the same address adds nothing.
    if (a.line < (coveredUntil.get(key) ?? -1) || scanned > LIMITS.maxScanChars) return;
    let j = i + 1;
    while (j < anchors.length && (anchors[j]!.line <= a.line || anchors[j]!.address.toLowerCase() === key)) j++;
    const to = j < anchors.length ? anchors[j]!.line : lines.length;
    const from = i > 0 && anchors[i - 1]!.line === a.line && anchors[i - 1]!.address.toLowerCase() !== key ? a.line + 1 : a.line;
    const piece = lines.slice(from, Math.max(from + 1, to)).join('\n');
    scanned += piece.length;
    coveredUntil.set(key, to);
    pieces.get(key)!.push(piece);
  });

  const single = order.length === 1;
  const out: BounceRecipient[] = [];
  for (const address of order.slice(0, LIMITS.maxRecipients)) {
    const own = pieces.get(address.toLowerCase())!.join('\n\n');
    let facts = factsFromText(own, ctx);
    // One recipient: the whole section is about it (codes may come before its line).
    if (single && !facts.status && !facts.replyCode) {
      const whole = factsFromText(text, ctx);
      if (whole.status || whole.replyCode) facts = whole;
    }
    if (single && !facts.remoteMta) facts.remoteMta = findRemoteMta(text);
    // Postfix "(expanded from <alias>)", Exim "(ultimately generated from alias)": the address the sender used.
    const expanded = EXPANDED_FROM.for(own, forms).exec(own);
    const originalRecipient = expanded && !sameAddress(cleanAddress(expanded[1]!), address) ? cleanAddress(expanded[1]!) : null;
    out.push(makeRecipient('text', { recipient: address, originalRecipient, ...facts }));
  }
  return { recipients: out, found: order.length + beyond.size };
}
