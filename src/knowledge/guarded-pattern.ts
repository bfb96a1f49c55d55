import { foldSpace } from './extract.js';
import type { KbEntry } from './types.js';

/**
 * The run-time guard on patterns from an organisation's knowledge base
 * (--kb, NDR_KB), on top of the syntax check in safe-pattern.ts: such a
 * pattern sees at most the first MAX_GUARDED_TEXT characters of a reply.
 * The check bounds the steps per start position (MAX_PATTERN_COST); this
 * bounds the start positions, so one match costs at most their product
 * whatever the check misjudged. 2,000 is what ndr keeps of a diagnostic
 * (LIMITS.maxDiagnosticChars), so a reply read from a bounce is never cut.
 * The text is also folded here as matching folds it (runs of white space to
 * one space), which the check counts on for `\s+`, so the guard holds
 * whoever calls it.
 * knowledge/README.md says why this and not a linear-time engine.
 */
export const MAX_GUARDED_TEXT = 2_000;

export class GuardedPattern extends RegExp {
  override exec(text: string): RegExpExecArray | null {
    const head = text.length > MAX_GUARDED_TEXT ? text.slice(0, MAX_GUARDED_TEXT) : text;
    return super.exec(/\s\s/.test(head) ? foldSpace(head) : head);
  }
}

export function guardPatterns(entry: KbEntry): KbEntry {
  return { ...entry, patterns: entry.patterns.map((p) => new GuardedPattern(p.source, p.flags)) };
}
