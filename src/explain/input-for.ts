import { explainText } from './text.js';
import type { KbEntry, KnowledgeBase } from '../knowledge/types.js';

/**
 * The shortest input that makes `ndr explain` show `entry`: one of its codes
 * when that code alone selects it, else the shortest of its own match
 * examples that does; null when none does. Pure: it runs the matcher only.
 */
export function explainInputFor(kb: KnowledgeBase, entry: KbEntry): string | null {
  const selects = (input: string) => explainText(kb, input).findings[0]?.match?.entry.id === entry.id;
  const candidates = [
    ...entry.codes.filter((r) => r.from === r.to).map((r) => r.text),
    ...[...entry.examples.match].sort((a, b) => a.length - b.length),
  ];
  return candidates.find(selects) ?? null;
}
