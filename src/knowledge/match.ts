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

function literalsOfEntry(entry: KbEntry): (string | null)[] {
  let literals = literalsOf.get(entry);
  if (!literals) literalsOf.set(entry, (literals = entry.patterns.map((p) => (p.flags.includes('u') ? null : requiredLiteral(p.source)))));
  return literals;
}

/**
 * `lower` is `text` lower-cased: a pattern whose required literal it lacks cannot match (pattern-literal.ts).
 * `present`, when given, holds every literal of the knowledge base that `lower` contains (wordCandidates).
 */
export function firstPatternMatch(entry: KbEntry, text: string, lower: string, present?: ReadonlySet<string>): string | null {
  const literals = literalsOfEntry(entry);
  for (let i = 0; i < entry.patterns.length; i++) {
    const literal = literals[i];
    if (literal != null && !(present ? present.has(literal) : lower.includes(literal))) continue;
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
 * The knowledge base's pattern literals by their first two characters (char codes, key c1 << 16 | c2),
 * and the entries (by index) that have a pattern with each literal or one without any. Matching by
 * words alone tries every entry: one pass over the text finds the literals it holds, and only the
 * entries that have one of them (or a pattern without a literal) can match, where one includes() per
 * pattern (~300) took ~20 us a text. Built once per knowledge base, with no regular expression to
 * compile, so that a single run gains too.
 */
interface LiteralIndex {
  byStart: Map<number, string[]>;
  short: string[];
  entriesOf: Map<string, number[]>;
  always: number[];
}

const literalIndexes = new WeakMap<KnowledgeBase, LiteralIndex>();

function literalIndex(kb: KnowledgeBase): LiteralIndex {
  let index = literalIndexes.get(kb);
  if (index) return index;
  index = { byStart: new Map(), short: [], entriesOf: new Map(), always: [] };
  kb.entries.forEach((entry, i) => {
    const literals = literalsOfEntry(entry);
    if (literals.some((l) => l === null)) index!.always.push(i);
    for (const l of new Set(literals)) {
      if (l === null) continue;
      const entries = index!.entriesOf.get(l);
      if (entries) {
        entries.push(i);
        continue;
      }
      index!.entriesOf.set(l, [i]);
      if (l.length < 2) index!.short.push(l);
      else {
        const key = (l.charCodeAt(0) << 16) | l.charCodeAt(1);
        const list = index!.byStart.get(key);
        if (list) list.push(l);
        else index!.byStart.set(key, [l]);
      }
    }
  });
  literalIndexes.set(kb, index);
  return index;
}

/** The knowledge base's pattern literals that `lower` contains, and the entries that may match it, in the knowledge base's order. */
function wordCandidates(kb: KnowledgeBase, lower: string): { present: Set<string>; entries: KbEntry[] } {
  const index = literalIndex(kb);
  const present = new Set<string>();
  for (const l of index.short) if (lower.includes(l)) present.add(l);
  for (let i = 0; i + 1 < lower.length; i++) {
    const list = index.byStart.get((lower.charCodeAt(i) << 16) | lower.charCodeAt(i + 1));
    if (list) for (const l of list) if (lower.startsWith(l, i)) present.add(l);
  }
  const picked = [...index.always];
  for (const l of present) picked.push(...index.entriesOf.get(l)!);
  picked.sort((a, b) => a - b);
  const entries: KbEntry[] = [];
  for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) entries.push(kb.entries[picked[k]!]!);
  return { present, entries };
}

/**
 * The entries with a code range of each class and subject (key cls * 1000 + subject), in the
 * knowledge base's order: only these can cover a code of that class and subject. Built once per
 * knowledge base, so that a code is not compared with the ranges of all entries each time.
 */
const entriesByCodeHead = new WeakMap<KnowledgeBase, Map<number, KbEntry[]>>();

function entriesForCode(kb: KnowledgeBase, code: EnhancedCode): readonly KbEntry[] {
  let index = entriesByCodeHead.get(kb);
  if (!index) {
    index = new Map();
    for (const entry of kb.entries) {
      for (const key of new Set(entry.codes.map((r) => r.cls * 1000 + r.subject))) {
        const list = index.get(key);
        if (list) list.push(entry);
        else index.set(key, [entry]);
      }
    }
    entriesByCodeHead.set(kb, index);
  }
  return index.get(code.cls * 1000 + code.subject) ?? [];
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
    for (const entry of entriesForCode(kb, code)) {
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
  // Only entries with a literal the text holds, or a pattern without one, can match (firstPatternMatch skips the rest).
  const { present, entries } = wordCandidates(kb, lower);
  for (const entry of entries) {
    const hit = firstPatternMatch(entry, text, lower, present);
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
