import { explainText } from './explain.js';
import type { KbEntry, KnowledgeBase } from './types.js';

/** Quotes an argument for a POSIX shell unless it is a plain word. */
function shellWord(arg: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shortest `ndr explain ...` command that shows `entry`: one of its codes
 * when that code alone selects it, else the shortest of its own match
 * examples that does; null when none does. Pure: it runs the matcher only.
 */
export function explainCommandFor(kb: KnowledgeBase, entry: KbEntry): string | null {
  const selects = (input: string) => explainText(kb, input).findings[0]?.match?.entry.id === entry.id;
  const candidates = [...entry.codes.filter((r) => r.from === r.to).map((r) => r.text), ...[...entry.examples.match].sort((a, b) => a.length - b.length)];
  const input = candidates.find(selects);
  return input === undefined ? null : `ndr explain ${shellWord(input)}`;
}
