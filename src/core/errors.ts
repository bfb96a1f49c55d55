/**
 * Typed errors. Core code throws these; only the CLI maps them to a message
 * and an exit code (see src/cli/exit.ts).
 */
import { thousands } from './numbers.js';

/**
 * How a run ends when an error reaches the CLI. Carried as data (`ndrExit`),
 * not read from the class: each command is bundled apart with its own copy of
 * these classes, so `instanceof` does not hold across bundles (issue 13).
 * - usage, input, temporary: exit 2, 3, 4 with one `ndr:` line;
 * - kb: an invalid knowledge base, exit 3, the problems listed;
 * - output: standard output is gone (closed pipe: exit 0; any other write error: exit 3), said where the stream failed;
 * - interrupted: a signal stopped the run between two items.
 */
export type ExitKind = 'usage' | 'input' | 'temporary' | 'kb' | 'output' | 'interrupted';

export class NdrError extends Error {
  readonly ndrExit: ExitKind;
  constructor(message: string, exit: ExitKind = 'input') {
    super(message);
    this.name = new.target.name;
    this.ndrExit = exit;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends NdrError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

/** The input could not be read or is not what we accept: exit 3. */
export class InputError extends NdrError {
  constructor(message: string) {
    super(message, 'input');
  }
}
export class InputTooLargeError extends InputError {}
export class NotAMessageError extends InputError {}

/** A knowledge-base file is invalid. Names file, line and key. */
export class KbValidationError extends NdrError {
  constructor(readonly problems: { file: string; line: number; key: string; message: string }[]) {
    super(formatKbProblems(problems).join('\n'), 'kb');
  }
}

/** Problems as file:line lines, at most MAX_PROBLEMS_SHOWN of them and a count of the rest. */
export function formatKbProblems(
  problems: { file: string; line: number; key: string; message: string }[],
  shown = MAX_PROBLEMS_SHOWN,
): string[] {
  const lines = problems.slice(0, shown).map((p) => `${p.file}:${p.line}: ${p.key}: ${p.message}`);
  const more = problems.length - lines.length;
  if (more > 0) lines.push(`... and ${thousands(more)} more problem${more === 1 ? '' : 's'}`);
  return lines;
}
const MAX_PROBLEMS_SHOWN = 50;

/** Network or DNS could not be asked (timeout, refused): exit 4. */
export class TemporaryError extends NdrError {
  constructor(message: string) {
    super(message, 'temporary');
  }
}

/**
 * Standard output failed (the reader went away, or a write error such as
 * ENOSPC): the work stops. `code` is the errno name; EPIPE ends the run quietly
 * with exit 0, anything else with exit 3 (the stream's error handler says it).
 */
export class OutputClosedError extends NdrError {
  constructor(readonly code: string) {
    super(`cannot write to standard output (${code})`, 'output');
  }
}

/** A signal (SIGINT, SIGTERM) stopped a batch between two items: exit 128 + the signal's number. */
export class InterruptedError extends NdrError {
  constructor(readonly exitCode: number) {
    super('interrupted', 'interrupted');
  }
}
