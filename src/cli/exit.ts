import type { InterruptedError, NdrError, OutputClosedError } from '../core/errors.js';
import { sanitize } from '../render/sanitize.js';
import { writeLine, type CliIo } from './io.js';

/**
 * ndr's exit codes, each with one meaning; README's table and `ndr --help`
 * say the same, and test/cli/exit-codes.test.ts runs each row through bin/.
 */
export const EXIT = {
  /** Explained; check-mx: nothing failed (warnings allowed); kb lint: no problem; the wizard ended (solved, or quit from its menu). */
  ok: 0,
  /** explain: nothing recognisable in the input, or not a bounce; codes: no entry matches. */
  nothingRecognised: 1,
  /** Unknown option or command, bad option value, missing or extra argument, the wizard without a terminal. */
  usage: 2,
  /** An input could not be read or is not accepted; an invalid knowledge base (--kb, or what kb lint found). */
  input: 3,
  /** The DNS could not be asked, or the overall --deadline was reached (check-mx). */
  temporary: 4,
  /** check-mx: a check failed (a record is wrong or missing). */
  checkFailed: 5,
  /** A bug in ndr. */
  internal: 70,
  /** Ctrl+C (SIGTERM: 143). */
  interrupted: 130,
} as const;

/**
 * How a command ends when it ends by itself: the meaning of its exit code and,
 * when there is something to say about it, the text of the one `ndr:` line
 * (sanitised by main() when it prints it). Errors are thrown instead.
 */
export interface CommandResult {
  exit: 'ok' | 'nothingRecognised' | 'usage' | 'input' | 'temporary' | 'checkFailed';
  message?: string;
}

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
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  if (err instanceof Error && typeof code === 'string' && code.startsWith('commander.')) {
    // commander's CommanderError, known by its code (data, as above: the bundle renames the class).
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help')
      return { code: EXIT.ok, message: '' };
    return { code: EXIT.usage, message: sanitize(commanderMessage(err.message)) };
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

/**
 * commander's message as one line of ours: "error: unknown option '--jsn'\n(Did you mean --json?)"
 * -> "unknown option '--jsn' (Did you mean --json?) (see ndr --help)". It is sanitised when
 * printed (an unknown option is the user's text, and may carry escape sequences).
 */
function commanderMessage(message: string): string {
  return `${message
    .replace(/^error:\s*/, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')} (see ndr --help)`;
}

/** Says how the run ended on stderr (one `ndr:` line, or nothing) and gives the exit code: a command's result or an error. */
export function reportEnd(io: CliIo, end: { result: CommandResult } | { error: unknown }): number {
  const { code, message } =
    'result' in end ? { code: EXIT[end.result.exit], message: sanitize(end.result.message ?? '') } : exitCodeFor(end.error);
  if (message) writeLine(io.stderr, `ndr: ${message}`);
  return code;
}
