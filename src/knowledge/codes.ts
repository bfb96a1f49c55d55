import type { CodeRange } from './types.js';

/** RFC 3463 §2: class "." subject "." detail; class 2, 4 or 5; subject and detail 1-3 digits. */
const CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
const RANGE = /^([245])\.(\d{1,3})\.(\d{1,3})-(\d{1,3})$/;

export interface EnhancedCode {
  cls: number;
  subject: number;
  detail: number;
}

export function parseCode(text: string): EnhancedCode | null {
  const m = CODE.exec(text.trim());
  if (!m) return null;
  return { cls: Number(m[1]), subject: Number(m[2]), detail: Number(m[3]) };
}

export function formatCode(code: EnhancedCode): string {
  return `${code.cls}.${code.subject}.${code.detail}`;
}

/** Parses "5.7.1" or "5.7.606-649" (a range over the detail number). */
export function parseCodeRange(text: string): CodeRange | null {
  const single = parseCode(text);
  if (single) return { text, cls: single.cls, subject: single.subject, from: single.detail, to: single.detail };
  const m = RANGE.exec(text.trim());
  if (!m) return null;
  const from = Number(m[3]);
  const to = Number(m[4]);
  if (to <= from) return null;
  return { text, cls: Number(m[1]), subject: Number(m[2]), from, to };
}

export function rangeCovers(range: CodeRange, code: EnhancedCode): boolean {
  return range.cls === code.cls && range.subject === code.subject && code.detail >= range.from && code.detail <= range.to;
}

export function isExact(range: CodeRange): boolean {
  return range.from === range.to;
}

export function rangeWidth(range: CodeRange): number {
  return range.to - range.from + 1;
}

/**
 * Numeric order of code ranges: class, subject, first detail, then the narrower range first
 * (5.7.0 < 5.7.0-999 < 5.7.1 < 5.7.12 < 5.7.13 < 5.7.124).
 */
export function compareRanges(a: CodeRange, b: CodeRange): number {
  return a.cls - b.cls || a.subject - b.subject || a.from - b.from || rangeWidth(a) - rangeWidth(b);
}

/** Class 2, 4 or 5 and up to two more numbers: "5", "5.7", "5.7." */
const CODE_PREFIX = /^([245])(?:\.(\d{1,3}))?\.?$/;

/**
 * The entries in the order `ndr codes` lists them: by their first (main) code
 * in numeric order (entries without a code last). For a code (`5.7.650`), by the
 * narrowest of their ranges that covers it, so the most specific entry comes
 * first; for a prefix (`5.7`), by their lowest code under it. Of entries
 * with the same code, the code's default (no patterns, or `fallback: true`)
 * comes first, then its variants in the knowledge base's order.
 */
export function sortByCode<E extends { codes: CodeRange[]; patterns: unknown[]; fallback: boolean }>(entries: E[], query = ''): E[] {
  const code = parseCode(query);
  const prefix = code ? null : CODE_PREFIX.exec(query.trim());
  const relevant = (e: E): CodeRange[] => {
    if (code) return e.codes.filter((r) => rangeCovers(r, code));
    if (prefix) return e.codes.filter((r) => r.cls === Number(prefix[1]) && (prefix[2] === undefined || r.subject === Number(prefix[2])));
    return e.codes.slice(0, 1);
  };
  const keyed = entries.map((e, i) => {
    const ranges = relevant(e);
    let best: CodeRange | null = null;
    for (const r of ranges) {
      const better = code ? best === null || rangeWidth(r) < rangeWidth(best) : best === null || compareRanges(r, best) < 0;
      if (better) best = r;
    }
    return { e, i, best, isDefault: !e.patterns.length || e.fallback };
  });
  keyed.sort((a, b) => {
    if (!a.best || !b.best) return (a.best ? -1 : 0) - (b.best ? -1 : 0) || a.i - b.i;
    const byCode = code ? rangeWidth(a.best) - rangeWidth(b.best) || compareRanges(a.best, b.best) : compareRanges(a.best, b.best);
    return byCode || Number(b.isDefault) - Number(a.isDefault) || a.i - b.i;
  });
  return keyed.map((k) => k.e);
}
