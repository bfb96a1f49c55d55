import { formatCode, isExact, parseCode, rangeCovers, rangeWidth, type EnhancedCode } from './codes.js';
import { foldSpace, type CodeFact } from './extract.js';
import { requiredLiteral } from './pattern-literal.js';
import type { KbEntry, KnowledgeBase, Registry } from './types.js';

/**
 * How an entry was chosen, most specific first (see knowledge/README.md);
 * 'words': the words named a cause and chose its entry over the code's (decide.ts).
 */
export type MatchTier = 'pattern' | 'exact' | 'range' | 'text' | 'words';

export interface EntryMatch {
  entry: KbEntry;
  tier: MatchTier;
  /** The part of the input a pattern matched, or the code that selected the entry. */
  matched: string;
}

export interface GenericMeaning {
  code: string | null;
  temporary: boolean | null;
  class: { name: string; meaning: string } | null;
  subject: { name: string; meaning: string } | null;
  /** The registry's detail entry; null for numbers the registry does not list (e.g. Microsoft's private 5.7.708). */
  detail: { code: string; name: string; reference: string } | null;
  replyCode: { code: string; meaning: string } | null;
}

/** Each entry's patterns' required literals (null: none, or a "u" pattern, whose case folding lower-casing does not follow). */
const literalsOf = new WeakMap<KbEntry, (string | null)[]>();

/** `lower` is `text` lower-cased: a pattern whose required literal it lacks cannot match (pattern-literal.ts). */
export function firstPatternMatch(entry: KbEntry, text: string, lower: string): string | null {
  let literals = literalsOf.get(entry);
  if (!literals) literalsOf.set(entry, (literals = entry.patterns.map((p) => (p.flags.includes('u') ? null : requiredLiteral(p.source)))));
  for (let i = 0; i < entry.patterns.length; i++) {
    const literal = literals[i];
    if (literal != null && !lower.includes(literal)) continue;
    const m = entry.patterns[i]!.exec(text);
    if (m) return m[0];
  }
  return null;
}

/** The narrowest of the entry's code ranges that covers the code (exact codes have width 1). */
function coverWidth(entry: KbEntry, code: EnhancedCode): number | null {
  let best: number | null = null;
  for (const r of entry.codes) {
    if (rangeCovers(r, code)) {
      const w = rangeWidth(r);
      if (best === null || w < best) best = w;
    }
  }
  return best;
}

/**
 * Picks the most specific entry for one code and its text:
 * text pattern + code > exact code > code range > (no code) text pattern alone.
 * Pure: the same facts and knowledge base give the same answer.
 */
export function matchEntry(kb: KnowledgeBase, fact: Pick<CodeFact, 'status' | 'text'>): EntryMatch | null {
  const text = foldSpace(fact.text);
  const lower = text.toLowerCase();
  const code = fact.status ? parseCode(fact.status) : null;
  if (code) {
    let best: { match: EntryMatch; rank: number[] } | null = null;
    const consider = (match: EntryMatch, rank: number[]) => {
      if (!best || compareRank(rank, best.rank) < 0) best = { match, rank };
    };
    for (const entry of kb.entries) {
      const width = coverWidth(entry, code);
      if (width === null) continue;
      const hit = entry.patterns.length ? firstPatternMatch(entry, text, lower) : null;
      if (hit !== null) {
        consider({ entry, tier: 'pattern', matched: hit }, [0, width, -hit.length]);
      } else if (!entry.patterns.length || entry.fallback) {
        const exact = width === 1 && entry.codes.some((r) => isExact(r) && rangeCovers(r, code));
        consider({ entry, tier: exact ? 'exact' : 'range', matched: formatCode(code) }, [exact ? 1 : 2, width, 0]);
      }
    }
    return best === null ? null : (best as { match: EntryMatch }).match;
  }
  // No enhanced code: only the words can select an entry.
  let best: EntryMatch | null = null;
  for (const entry of kb.entries) {
    const hit = firstPatternMatch(entry, text, lower);
    if (hit !== null && (!best || hit.length > best.matched.length)) best = { entry, tier: 'text', matched: hit };
  }
  return best;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether the sending server tries again: a 4.x.x code (or a 4xx reply alone) says so,
 * except when the reply is 5xx (Exchange Online bounces with "550 4.4.7": no retry
 * follows) or the code is X.4.7, delivery time expired (RFC 3463): the retrying is over.
 */
function willRetry(classDigit: number | null, expired: boolean, replyCode: string | null): boolean | null {
  if (classDigit === 4) return !expired && !replyCode?.startsWith('5');
  return classDigit === 5 ? false : null;
}

/** The RFC 3463 / RFC 5321 meaning of a code, for any well-formed code. */
export function genericMeaning(registry: Registry, status: string | null, replyCode: string | null): GenericMeaning | null {
  const code = status ? parseCode(status) : null;
  if (!code && !replyCode) return null;
  const cls = code ? (registry.classes.get(code.cls) ?? null) : null;
  const subject = code ? (registry.subjects.get(code.subject) ?? null) : null;
  const d = code ? registry.details.get(`${code.subject}.${code.detail}`) : undefined;
  const reply = replyCode ? registry.replyCodes.get(replyCode) : undefined;
  const classDigit = code?.cls ?? (replyCode ? Number(replyCode[0]) : null);
  return {
    code: code ? formatCode(code) : null,
    temporary: willRetry(classDigit, code?.subject === 4 && code.detail === 7, replyCode),
    class: cls,
    subject,
    detail: d ? { code: `${code!.cls}${d.code.slice(1)}`, name: d.name, reference: d.reference } : null,
    replyCode: replyCode && reply ? { code: replyCode, meaning: reply.meaning } : null,
  };
}
