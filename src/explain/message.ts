/**
 * The bytes of one message -> Bounce facts -> findings: what the CLI loads, in
 * one import, when it reads a message (the MIME parser is not needed for
 * `ndr explain 5.7.1`).
 */
import type { KnowledgeBase } from '../knowledge/types.js';
import { parseBounce, type ParseOptions } from '../bounce/parse.js';
import { explainBounce, type BounceExplanation } from './bounce.js';

export async function explainMessage(kb: KnowledgeBase, bytes: Uint8Array, options: ParseOptions = {}): Promise<BounceExplanation> {
  return explainBounce(kb, await parseBounce(bytes, options));
}
