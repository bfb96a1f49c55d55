import { InputError, KbValidationError, TemporaryError, UsageError } from '../core/errors.js';
import { sanitize } from '../render/sanitize.js';
import { writeLine, type CliIo } from './io.js';

/** ndr's exit codes; README documents the same table and test/cli tests each row. */
export const EXIT = {
  ok: 0,
  /** explain: nothing recognisable; check-mx: a check failed. */
  notFound: 1,
  usage: 2,
  input: 3,
  temporary: 4,
  internal: 70,
  interrupted: 130,
} as const;

/** The ONE place where errors become a message and an exit code. */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  const text = (e: Error) => sanitize(e.message);
  if (err instanceof UsageError) return { code: EXIT.usage, message: text(err) };
  if (err instanceof KbValidationError) return { code: EXIT.input, message: `invalid knowledge base:\n${text(err)}` };
  if (err instanceof InputError) return { code: EXIT.input, message: text(err) };
  if (err instanceof TemporaryError) return { code: EXIT.temporary, message: text(err) };
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
    return { code: EXIT.interrupted, message: 'interrupted' };
  }
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    code: EXIT.internal,
    message: `internal error (${sanitize(detail).slice(0, 300)}). This is a bug in ndr; please report it with the command you ran.`,
  };
}

/**
 * Runs a command; what it throws becomes one line on stderr and the exit code.
 * Each command module re-exports this, and main.ts calls the command's own
 * copy: scripts/bundle.mjs builds every command apart, each with its own copy
 * of the error classes, so only the command's copy recognises them.
 */
export async function exitCodeOf(io: CliIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    const { code, message } = exitCodeFor(err);
    writeLine(io.stderr, `ndr: ${message}`);
    return code;
  }
}
