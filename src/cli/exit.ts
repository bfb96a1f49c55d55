import type { InterruptedError, NdrError, OutputClosedError } from '../core/errors.js';
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

/** The ONE place where errors become a message and an exit code (message '' = say nothing). */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  const text = (e: Error) => sanitize(e.message);
  // The exit kind is data on the error (see ExitKind), so a copy of the class from another bundle counts too.
  const kind = err instanceof Error ? (err as Partial<NdrError>).ndrExit : undefined;
  if (err instanceof Error && kind) {
    switch (kind) {
      case 'usage':
        return { code: EXIT.usage, message: text(err) };
      case 'input':
        return { code: EXIT.input, message: text(err) };
      case 'kb':
        return { code: EXIT.input, message: `invalid knowledge base:\n${text(err)}` };
      case 'temporary':
        return { code: EXIT.temporary, message: text(err) };
      case 'output':
        // The stream's own error handler (run() in main.ts) says what failed, once.
        return { code: (err as OutputClosedError).code === 'EPIPE' ? EXIT.ok : EXIT.input, message: '' };
      case 'interrupted':
        return { code: (err as InterruptedError).exitCode, message: 'interrupted' };
    }
  }
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
    return { code: EXIT.interrupted, message: 'interrupted' };
  }
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    code: EXIT.internal,
    message: `internal error (${sanitize(detail).slice(0, 300)}). This is a bug in ndr; please report it with the command you ran.`,
  };
}

/** Says what `err` means on stderr (one `ndr:` line, or nothing) and gives the exit code. */
export function reportError(io: CliIo, err: unknown): number {
  const { code, message } = exitCodeFor(err);
  if (message) writeLine(io.stderr, `ndr: ${message}`);
  return code;
}
