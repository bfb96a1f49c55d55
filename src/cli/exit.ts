import { InputError, KbValidationError, TemporaryError, UsageError } from '../core/errors.js';
import { sanitize } from '../render/sanitize.js';

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
