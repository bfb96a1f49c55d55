/**
 * The thin prompt adapter: the wizard's four kinds of question over
 * @inquirer/prompts (imported lazily, so other commands never load it), plus a
 * multi-line reader for pasted text, which Inquirer lacks short of opening an
 * external editor. Every message, choice and default passes the sanitiser
 * here, because they can quote the bounce (recipient addresses, domains).
 */
import * as readline from 'node:readline';
import { InputTooLargeError } from '../core/errors.js';
import { sanitize } from '../render/sanitize.js';
import type { Choice } from './types.js';

export interface PromptUi {
  select(q: { message: string; choices: Choice[]; default?: string }): Promise<string>;
  confirm(q: { message: string; default: boolean }): Promise<boolean>;
  input(q: { message: string; default?: string; validate: (value: string) => true | string | Promise<true | string> }): Promise<string>;
  /** Lines until a line holding only "." or Ctrl+D on an empty line. */
  multiline(q: { message: string; maxChars: number }): Promise<string>;
  print(text: string): void;
}

/** Ctrl+C (or SIGINT) outside an Inquirer prompt; Inquirer's own are ExitPromptError and AbortPromptError. */
export class WizardInterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'WizardInterruptedError';
  }
}

export function isInterrupt(err: unknown): boolean {
  return (
    err instanceof Error && (err instanceof WizardInterruptedError || err.name === 'ExitPromptError' || err.name === 'AbortPromptError')
  );
}

/** Prompt text on one line, with anything a terminal would act on made visible. */
export function promptText(text: string): string {
  return sanitize(text.replace(/[\r\n\t]+/g, ' '));
}

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Aborted on SIGINT between prompts; prompts then reject with AbortPromptError. */
  signal: AbortSignal;
}

/**
 * Reads pasted text line by line through readline (which handles a terminal's
 * raw mode, echo and line editing). Ends on a line holding only ".", or on
 * Ctrl+D at the start of a line (readline closes); Ctrl+C interrupts.
 */
export function readMultiline(message: string, maxChars: number, s: PromptStreams, terminal = true): Promise<string> {
  s.output.write(`${promptText(message)}\n`);
  const rl = readline.createInterface({ input: s.input, output: s.output, terminal, historySize: 0, prompt: '> ' });
  return new Promise<string>((resolve, reject) => {
    const lines: string[] = [];
    let size = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      s.signal.removeEventListener('abort', onAbort);
      rl.close();
      if (err) reject(err);
      else resolve(lines.join('\n'));
    };
    const onAbort = () => finish(new WizardInterruptedError());
    rl.on('line', (line) => {
      if (line.trim() === '.') return finish();
      lines.push(line);
      size += line.length + 1;
      if (size > maxChars)
        return finish(
          new InputTooLargeError(`pasted text: longer than ${maxChars} characters; save the bounce to a file and give its path`),
        );
      rl.prompt();
    });
    rl.on('close', () => finish());
    rl.on('SIGINT', () => {
      // End the "> " line so the interruption message starts on its own line.
      s.output.write('\n');
      finish(new WizardInterruptedError());
    });
    if (s.signal.aborted) return onAbort();
    s.signal.addEventListener('abort', onAbort);
    rl.prompt();
  });
}

type SelectQuestion = Parameters<PromptUi['select']>[0];
type ConfirmQuestion = Parameters<PromptUi['confirm']>[0];
type InputQuestion = Parameters<PromptUi['input']>[0];

/** The select prompt's config: every text sanitised. */
export function selectConfig(q: SelectQuestion) {
  return {
    message: promptText(q.message),
    choices: q.choices.map((c) => ({
      value: c.value,
      name: promptText(c.name),
      ...(c.description ? { description: promptText(c.description) } : {}),
    })),
    ...(q.default !== undefined ? { default: q.default } : {}),
    pageSize: 12,
  };
}

export function confirmConfig(q: ConfirmQuestion) {
  return { message: promptText(q.message), default: q.default };
}

/** The input prompt's config; a default is put on the line, ready to edit. */
export function inputConfig(q: InputQuestion) {
  return {
    message: promptText(q.message),
    required: true,
    validate: async (v: string) => {
      const ok = await q.validate(v);
      return ok === true ? true : promptText(ok);
    },
    ...(q.default !== undefined ? { default: promptText(q.default), prefill: 'editable' as const } : {}),
  };
}

/** The real adapter: @inquirer/prompts on the given streams. */
export async function createInquirerUi(s: PromptStreams): Promise<PromptUi> {
  const { select, confirm, input } = await import('@inquirer/prompts');
  const context = { input: s.input, output: s.output, signal: s.signal };
  return {
    select: (q) => select(selectConfig(q), context),
    confirm: (q) => confirm(confirmConfig(q), context),
    input: (q) => input(inputConfig(q), context),
    multiline: (q) => readMultiline(q.message, q.maxChars, s, Boolean((s.input as { isTTY?: boolean }).isTTY)),
    print: (text) => {
      s.output.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
