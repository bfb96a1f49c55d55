/**
 * What the wizard shows before it asks: the blocks its flow produces and
 * src/render/wizard-text.ts draws. Types only; defined on the render side so
 * that the wizard depends on render/ and never the other way round.
 */
import type { CheckResult } from '../checks/types.js';
import type { Finding } from '../explain/finding.js';
import type { KbEntry, Role, Solution } from '../knowledge/types.js';

/** The side of the knowledge base's solutions the person is on: explain's --audience without "all". */
export type Audience = keyof KbEntry['solutions'];

/** The ready-to-send note for whoever must act (built by src/wizard/note.ts). */
export interface Note {
  addressee: Role;
  addresseeName: string;
  subject: string;
  lines: string[];
}

/** Something to print before asking. The renderer sanitises every string. */
export type Block =
  | { kind: 'diagnosis'; finding: Finding }
  | { kind: 'solution'; solution: Solution; letter: string; total: number; actor: Role | null; handoff: boolean; audience: Audience }
  | { kind: 'note'; note: Note }
  | { kind: 'checks'; domain: string; results: CheckResult[]; pointers: (string | null)[] }
  | { kind: 'message'; text: string }
  | { kind: 'commands'; commands: string[][] };
