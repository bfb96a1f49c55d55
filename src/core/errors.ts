/**
 * Typed errors. Core code throws these; only the CLI maps them to a message
 * and an exit code (see src/cli/exit.ts).
 */
export class NdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends NdrError {}

/** The input could not be read or is not what we accept: exit 3. */
export class InputError extends NdrError {}
export class InputTooLargeError extends InputError {}
export class NotAMessageError extends InputError {}

/** A knowledge-base file is invalid. Names file, line and key. */
export class KbValidationError extends NdrError {
  constructor(
    readonly problems: { file: string; line: number; key: string; message: string }[],
  ) {
    super(formatKbProblems(problems).join('\n'));
  }
}

/** Problems as file:line lines, at most MAX_PROBLEMS_SHOWN of them and a count of the rest. */
export function formatKbProblems(problems: { file: string; line: number; key: string; message: string }[], shown = MAX_PROBLEMS_SHOWN): string[] {
  const lines = problems.slice(0, shown).map((p) => `${p.file}:${p.line}: ${p.key}: ${p.message}`);
  const more = problems.length - lines.length;
  if (more > 0) lines.push(`... and ${more.toLocaleString('en')} more problem${more === 1 ? '' : 's'}`);
  return lines;
}
const MAX_PROBLEMS_SHOWN = 50;

/** Network or DNS could not be asked (timeout, refused): exit 4. */
export class TemporaryError extends NdrError {}
