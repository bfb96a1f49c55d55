import { namedRecipients, recipientFinder } from '../bounce/recipient-anchors.js';
import type { AddressForms } from '../bounce/text-util.js';
import type { Finding } from './finding.js';
import { extractFacts, MAX_SCAN_CHARS } from '../knowledge/extract.js';
import { decide } from '../knowledge/decide.js';
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

function isBareCode(input: string): boolean {
  return BARE_CODE.test(input.trim());
}

export interface TextOptions {
  /** The address patterns' form (bounce/text-util AddressForms): 'full' for a batch; default 'fit'. */
  addressForms?: AddressForms;
}

/** Explains a code or pasted NDR text. Pure: no I/O. */
export function explainText(kb: KnowledgeBase, input: string, options: TextOptions = {}): TextExplanation {
  const forms = options.addressForms ?? 'fit';
  const kind: TextKind = isBareCode(input) ? 'code' : 'text';
  // The failed recipients the text names ("550 5.1.1 <user@example.com>", a line with the address ...).
  const recipientOf = recipientFinder(kind === 'text' ? namedRecipients(input, MAX_SCAN_CHARS, forms) : [], forms);
  const facts = extractFacts(input);
  const findings = facts.map((fact): Finding => {
    // A reply wrapped by Exchange (5.7.350 ... -> 554 5.7.1 ...) is read with the wrapper's words around it.
    const context = fact.wrappedBy ? facts.find((f) => f.status === fact.wrappedBy)?.text : undefined;
    const { match, reason, seeAlso } = decide(kb, { ...fact, context });
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
