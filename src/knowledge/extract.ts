/**
 * Finds reply codes, enhanced status codes and Exchange diagnostic tokens in
 * free text (a pasted NDR line, a diagnostic field) and cuts the text into one
 * piece per code, so that each code is matched against the words that go with it.
 */

/** How much text we scan per input: enough for any NDR body, bounded against hostile input. */
export const MAX_SCAN_CHARS = 256 * 1024;

export interface CodeFact {
  /** Enhanced status code (RFC 3463), e.g. "5.1.10", or null when the text has none. */
  status: string | null;
  /** SMTP reply code (RFC 5321), e.g. "550", or null. */
  replyCode: string | null;
  /** The text that goes with this code, white space folded. */
  text: string;
  /** The code of an Exchange wrapper (5.7.350, 5.7.367 …) this reply was embedded in. */
  wrappedBy: string | null;
}

// A code must not be part of a longer dotted number (an IP address, a version).
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g;
// A reply code right before an enhanced code: "550 5.1.1", "550-5.1.1", "#550 5.1.1", "550 #5.1.1".
const REPLY_BEFORE = /(?:^|[^\d.])([245]\d\d)[ -]#?$/;
// A reply code alone, where a server reply starts: line start, after "smtp;", a quote, "#" or "->".
const REPLY_ALONE = /(?:^|\n|;|'|"|#|->|: )[ \t]*([245][0-5]\d)(?=[ -](?:[A-Za-z<#([]|$)|$)/g;
const WRAPPER_ARROW = /->\s*['"]?\s*$/;

export function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function extractFacts(input: string): CodeFact[] {
  const text = input.length > MAX_SCAN_CHARS ? input.slice(0, MAX_SCAN_CHARS) : input;
  const hits: { start: number; end: number; status: string | null; replyCode: string | null }[] = [];
  for (const m of text.matchAll(ENHANCED)) {
    const at = m.index!;
    const before = REPLY_BEFORE.exec(text.slice(Math.max(0, at - 6), at));
    const replyCode = before ? before[1]! : null;
    const start = before ? at - before[0].length + before[0].indexOf(replyCode!) : at;
    hits.push({ start, end: at + m[0].length, status: `${m[1]}.${Number(m[2])}.${Number(m[3])}`, replyCode });
  }
  if (hits.length === 0) {
    for (const m of text.matchAll(REPLY_ALONE)) {
      const start = m.index! + m[0].length - 3;
      hits.push({ start, end: start + 3, status: null, replyCode: m[1]! });
    }
  }
  if (hits.length === 0) {
    const folded = foldSpace(text);
    return folded ? [{ status: null, replyCode: null, text: folded, wrappedBy: null }] : [];
  }

  const facts: CodeFact[] = [];
  const byKey = new Map<string, CodeFact>();
  hits.forEach((hit, i) => {
    const from = i === 0 ? 0 : hit.start;
    const to = i + 1 < hits.length ? hits[i + 1]!.start : text.length;
    const piece = foldSpace(text.slice(from, to));
    const prev = hits[i - 1];
    const wrappedBy = prev && prev.status && WRAPPER_ARROW.test(text.slice(prev.end, hit.start)) ? prev.status : null;
    // One finding per enhanced code: Exchange quotes the same code in several sections,
    // with and without its reply code.
    const key = hit.status ?? `reply ${hit.replyCode}`;
    const same = byKey.get(key);
    if (same) {
      if (!same.text.includes(piece)) same.text = `${same.text} ${piece}`;
      same.replyCode ??= hit.replyCode;
      return;
    }
    const fact: CodeFact = { status: hit.status, replyCode: hit.replyCode, text: piece, wrappedBy };
    byKey.set(key, fact);
    facts.push(fact);
  });
  // A bare reply code that is the same reply as a full one ("550" then "550 5.1.1") adds nothing.
  return facts.filter((f) => f.status !== null || !facts.some((o) => o.status !== null && o.replyCode === f.replyCode));
}

/** Exchange's internal diagnostic tokens, shown as evidence of what matched. */
const TOKENS =
  /\b(?:RESOLVER|QUEUE|STOREDRV|SMTPSEND|APPROVAL|ROUTING|CAT|TenantAttribution|TenantInboundAttribution|UnifiedGroupAgent)(?:\.[A-Za-z]{1,40}){0,4}\b|\(?AS\(?\d{3,12}\)?|\bATTR?\d{1,3}(?:\.\d{1,2})?\b/g;

export function findTokens(text: string): string[] {
  return [...new Set([...text.slice(0, MAX_SCAN_CHARS).matchAll(TOKENS)].map((m) => m[0]))];
}

const ANY_TOKEN = new RegExp(TOKENS.source);

/** findTokens(text).length > 0, without collecting them. */
export function hasTokens(text: string): boolean {
  return ANY_TOKEN.test(text.slice(0, MAX_SCAN_CHARS));
}
