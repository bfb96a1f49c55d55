/**
 * A bare code ("5.7.1", "550 5.1.10", "550") -> findings: the light half of
 * explaining pasted input. A bare code has no words, so neither the phrase
 * table (reason-words.ts) nor the recipient finder is needed: `ndr explain
 * 5.7.1` loads this and not text.ts. Pure: no I/O.
 */
import type { Finding } from './finding.js';
import { decide, NO_WORDS, type WordsReader } from '../knowledge/decide.js';
import { extractFacts, MAX_SCAN_CHARS } from '../knowledge/extract.js';
import { genericMeaning } from '../knowledge/match.js';
import type { KnowledgeBase } from '../knowledge/types.js';

export type TextKind = 'code' | 'text';

export interface TextExplanation {
  input: string;
  kind: TextKind;
  findings: Finding[];
}

/**
 * "5.7.1", "550 5.1.10" or "550": a bare code rather than pasted prose. Tested
 * on the trimmed input: a leading and a trailing `\s*` in one pattern backtrack
 * against each other, quadratic in a run of whitespace (found by fuzzing:
 * 100 KB of newlines and one letter took 6 s).
 */
const BARE_CODE = /^(?:[245]\d\d[ -]?)?(?:#?[245]\.\d{1,3}\.\d{1,3})?$/;

export function isBareCode(input: string): boolean {
  return BARE_CODE.test(input.trim());
}

/** How explainFacts reads a text: its kind, its words, and which recipient a fact's text names. */
export interface Reading {
  kind: TextKind;
  readWords: WordsReader;
  recipientOf: (factText: string) => string | null;
}

/** The findings of a code or a text, read as `reading` says (text.ts gives a text's reading). */
export function explainFacts(kb: KnowledgeBase, input: string, { kind, readWords, recipientOf }: Reading): TextExplanation {
  const facts = extractFacts(input);
  const findings = facts.map((fact): Finding => {
    // A reply wrapped by Exchange (5.7.350 ... -> 554 5.7.1 ...) is read with the wrapper's words around it.
    const context = fact.wrappedBy ? facts.find((f) => f.status === fact.wrappedBy)?.text : undefined;
    const { match, reason, seeAlso } = decide(kb, { ...fact, context }, readWords);
    return {
      recipient: recipientOf(fact.text),
      status: fact.status,
      replyCode: fact.replyCode,
      remoteMta: null,
      diagnostic: kind === 'code' ? null : fact.text.slice(0, 2000),
      wrappedBy: fact.wrappedBy,
      match,
      reason,
      seeAlso,
      generic: genericMeaning(kb.registry, fact.status, fact.replyCode),
    };
  });
  // Text with no code, no matching entry and no words that name a cause explains nothing.
  return { input: input.slice(0, MAX_SCAN_CHARS), kind, findings: findings.filter((f) => f.match || f.generic || f.reason !== 'onhold') };
}

/** Explains a bare code (isBareCode). */
export function explainCode(kb: KnowledgeBase, input: string): TextExplanation {
  if (!isBareCode(input)) throw new Error(`explainCode: not a bare code: ${JSON.stringify(input.slice(0, 40))}`);
  return explainFacts(kb, input, { kind: 'code', readWords: NO_WORDS, recipientOf: () => null });
}
