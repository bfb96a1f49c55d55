import { namedRecipients, recipientFinder } from '../bounce/recipient-anchors.js';
import type { AddressForms } from '../bounce/text-util.js';
import { explainCode, explainFacts, isBareCode, type TextExplanation } from './code.js';
import { MAX_SCAN_CHARS } from '../knowledge/extract.js';
import { reasonFromWords } from '../knowledge/reason-words.js';
import type { KnowledgeBase } from '../knowledge/types.js';

export { isBareCode, type TextExplanation, type TextKind } from './code.js';

export interface TextOptions {
  /** The address patterns' form (bounce/text-util AddressForms): 'full' for a batch; default 'fit'. */
  addressForms?: AddressForms;
}

/** Explains a code or pasted NDR text: a bare code as code.ts does, prose with its words and the recipients it names. Pure: no I/O. */
export function explainText(kb: KnowledgeBase, input: string, options: TextOptions = {}): TextExplanation {
  if (isBareCode(input)) return explainCode(kb, input);
  const forms = options.addressForms ?? 'fit';
  // The failed recipients the text names ("550 5.1.1 <user@example.com>", a line with the address ...).
  const recipientOf = recipientFinder(namedRecipients(input, MAX_SCAN_CHARS, forms), forms);
  return explainFacts(kb, input, { kind: 'text', readWords: reasonFromWords, recipientOf });
}
