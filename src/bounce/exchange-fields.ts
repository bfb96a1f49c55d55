/**
 * The fields of an Exchange NDR below its headings: paragraphs, the host and
 * address lines, the SMTP replies a legacy admin block quotes, the hops table
 * and who is to fix it ("Action Required").
 */
import { EXCHANGE_LANGUAGES } from './exchange-phrases.js';
import type { Compiled } from './exchange-patterns.js';
import { type Lines, matchAny } from './exchange-lines.js';
import { clipDiagnostic, LIMITS } from './limits.js';
import { AddressPattern, BARE_ADDRESS, cleanAddress, escapeRegExp, foldSpace, type AddressForms } from './text-util.js';
import type { ExchangeHop, FixOwner } from './types.js';

/** The text of lines [from, to) as one clipped paragraph, or null when empty. */
export function paragraph(lines: string[], from: number, to: number): string | null {
  const text = foldSpace(lines.slice(Math.max(0, from), Math.max(from, to)).join('\n'));
  return text ? clipDiagnostic(text) : null;
}

export const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z0-9-]{2,63}\.?$/;

// "Display Name (user@example.com)" or "Display Name <user@example.com>"
// ... or "Display Name [SMTP:user@example.com]" (Exchange 2000/2003).
const NAMED_ADDRESS = new AddressPattern(
  (address) => `^[^@:;'"]{0,80}(?:[(<]|\\[(?:[sS][mM][tT][pP]:)?)(${address})[)>\\]]\\s*(?:<mailto:[^>]*>)?\\s*$`,
  'u',
);

// Exchange 5.5/2000/2003 list each failed recipient as "<recipient> on <date>".
const ON_DATE = /\s+on\s+(?:mon|tue|wed|thu|fri|sat|sun|\d)/i;

// ... and the recipient as its proxy: "SMTP:user@example.com", or an X.400 address that carries
// it ("c=US;a= ;p=Org;o=Site;dda:SMTP=user@example.com;").
const PROXY_PREFIX = /^(?:[^@\n]{0,300}?;\s*)?(?:dda:)?(?:smtp|rfc-?822)\s*[:=]\s*/i;

/**
 * A line that names only an address ("user@example.com", "Name (user@example.com)",
 * "user@example.com<mailto:...>", "user@example.com on <date>", "SMTP:user@example.com on <date>",
 * "c=US;...;dda:SMTP=user@example.com; on <date>").
 */
export function addressLine(line: string, forms: AddressForms): string | null {
  let t = line.trim();
  if (!t || t.length > 400) return null;
  if (t.includes('@')) {
    const on = ON_DATE.exec(t);
    if (on && on.index > 0) t = t.slice(0, on.index);
    t = t.replace(PROXY_PREFIX, '');
  }
  const first = t.split(/\s+|<mailto:/)[0]!;
  const firstClean = cleanAddress(first);
  if (BARE_ADDRESS.for(firstClean, forms).test(firstClean)) return firstClean;
  const m = NAMED_ADDRESS.for(t, forms).exec(t);
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
export function repliesIn(block: string, lang: Compiled): Reply[] {
  const replies: Reply[] = [];
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
      const host =
        /returned|returnerte|returnerede|returnerade|zurückgegeben|hat/i.test(lead) || lang.pattern('remoteServer').test(lead)
          ? (atHost.exec(lead)?.[1] ?? null)
          : null;
      replies.push({ text: foldSpace(m[1]!), remoteMta: host });
    }
  }
  if (!replies.length)
    for (const m of block.matchAll(HASH_REPLY)) replies.push({ text: foldSpace(m[1]!.replace(/^<|>$/g, '')), remoteMta: null });
  return replies;
}

/** The rows of the "Message Hops" table in lines [from, to). */
export function parseHops(lines: string[], from: number, to: number): ExchangeHop[] {
  const hops: ExchangeHop[] = [];
  for (let i = from; i < to && hops.length < LIMITS.maxHops; i++) {
    const cells = lines[i]!.trim()
      .split(/\t+|\s{2,}/)
      .map((c) => c.trim())
      .filter(Boolean);
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

/**
 * The parties of the "Action Required" row, each word as a pattern (built
 * once), in table order: a word that several languages share ("Office 365")
 * is listed once for each, as who is named counts, but its pattern is one.
 */
const PARTIES: { owner: FixOwner; re: RegExp }[] = (() => {
  const patterns = new Map<string, RegExp>();
  const patternOf = (w: string) => {
    let re = patterns.get(w);
    if (!re) patterns.set(w, (re = new RegExp(`(?:^|\\s)${escapeRegExp(w)}(?:\\s|$)`, 'iu')));
    return re;
  };
  return (['sender', 'service', 'recipient'] as const).flatMap((owner) =>
    EXCHANGE_LANGUAGES.flatMap((l) => l.parties[owner]).map((word) => ({ owner, re: patternOf(word) })),
  );
})();

/** Who is to fix it, from the "Action Required" line and the table around it. */
export function fixOwner(scan: Lines, actionLine: number): FixOwner | null {
  const lines = scan.all;
  const find = (line: string) => {
    // Each shared word is looked for once per line.
    const at = new Map<RegExp, number>();
    return PARTIES.map((p) => {
      let i = at.get(p.re);
      if (i === undefined) at.set(p.re, (i = line.search(p.re)));
      return { owner: p.owner, at: i };
    }).filter((x) => x.at >= 0);
  };
  const line = lines[actionLine]!;
  const action = matchAny(scan, 'actionRequired', 'line', actionLine);
  const actionAt = action ? action.index : -1;
  const withoutAction = action
    ? line.slice(0, action.index) + ' '.repeat(action[0].length) + line.slice(action.index + action[0].length)
    : line;
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
