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
