/**
 * A real terminal for tests: tmux on a private socket, the command in a
 * detached session of a chosen size, keys sent with send-keys and the screen
 * read with capture-pane. Waits poll the screen with a deadline; nothing
 * depends on a fixed sleep. Used by the wizard's smoke test and by the
 * terminal-width tests of explain and codes (test/cli/terminal-width.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { quoteArg } from '../../src/render/shell-quote.js';
import { BIN, ROOT } from './cli.js';

export interface TerminalSize {
  /** Width in columns (default 100). */
  columns?: number;
  /** Height in rows (default 50); output beyond it scrolls into the history, which is kept. */
  rows?: number;
}

/** Marks the end of the command's output on the screen, with its exit code. */
const EXIT_MARK = 'EXIT=';

/** The wizard refuses when CI is set, so terminal tests run without it; colour off unless a test sets it. */
export function terminalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', ...extra };
  delete env.CI;
  delete env.TMUX;
  delete env.FORCE_COLOR;
  delete env.COLUMNS;
  delete env.LINES;
  return env;
}

/** Fails with a message that says how to get tmux, instead of an ENOENT. */
export function requireTmux(): void {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'tmux is not installed, and the real-terminal tests need it: install it with "apt-get install -y tmux" (.ci/run does this in CI)',
    );
  }
}

export class Tmux {
  readonly socket = `ndr-test-${randomBytes(6).toString('hex')}`;
  readonly columns: number;
  readonly rows: number;
  private started = false;

  constructor(
    size: TerminalSize = {},
    private readonly env: NodeJS.ProcessEnv = terminalEnv(),
  ) {
    this.columns = size.columns ?? 100;
    this.rows = size.rows ?? 50;
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: this.env });
  }

  /** Runs `command` (a shell command line) in the terminal; the exit code shows as EXIT=n after its output. */
  start(command: string): void {
    // The history limit applies to panes made after it is set, so it is set before the session.
    // The pane keeps the shell alive after the command so its exit code can be read.
    this.tmux([
      '-f',
      '/dev/null',
      'start-server',
      ';',
      'set-option',
      '-g',
      'history-limit',
      '100000',
      ';',
      'new-session',
      '-d',
      '-s',
      'ndr',
      '-x',
      String(this.columns),
      '-y',
      String(this.rows),
      '-c',
      ROOT,
      `sh -c ${quoteArg(`${command}; echo ${EXIT_MARK}$?; exec sleep 300`)}`,
    ]);
    this.started = true;
  }

  /** The screen and its history, wrapped rows joined back into the lines the program wrote. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-t', 'ndr', '-S', '-']);
  }

  /** The screen and its history as the terminal shows it: one string per row. */
  physicalRows(): string[] {
    return this.tmux(['capture-pane', '-p', '-t', 'ndr', '-S', '-']).replace(/\n$/, '').split('\n');
  }

  cursorVisible(): boolean {
    return this.tmux(['display-message', '-p', '-t', 'ndr', '#{cursor_flag}']).trim() === '1';
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'ndr', ...keys]);
  }

  text(text: string): void {
    this.tmux(['send-keys', '-t', 'ndr', '-l', text]);
  }

  /** Pastes like a terminal does: the whole text at once, newlines as Enter. */
  paste(text: string): void {
    execFileSync('tmux', ['-L', this.socket, 'load-buffer', '-'], { input: text, env: this.env });
    this.tmux(['paste-buffer', '-d', '-t', 'ndr']);
  }

  /** The wizard's "paste the bounce" answer: choose pasting, paste `text`, end it with a line holding only ".". */
  async pasteBounce(text: string): Promise<void> {
    await this.waitFor('How do you want to give the bounce?');
    this.keys('Down', 'Enter');
    await this.waitFor('Paste the text of the bounce.');
    this.paste(text);
    this.text('.');
    this.keys('Enter');
  }

  /** Polls the screen until `want` shows (count times), or fails with the screen after `ms`. */
  async waitFor(want: string | RegExp, ms = 10000, count = 1): Promise<string> {
    const deadline = Date.now() + ms;
    const seen = (s: string) =>
      (typeof want === 'string'
        ? s.split(want).length - 1
        : (s.match(new RegExp(want.source, `${want.flags.replace('g', '')}g`)) ?? []).length) >= count;
    for (;;) {
      const s = this.screen();
      if (seen(s)) return s;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${ms} ms waiting for ${String(want)}${count > 1 ? ` (x${count})` : ''}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    if (this.started) spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: this.env });
    this.started = false;
  }
}

export interface TerminalRun {
  /** The exit code the shell saw. */
  code: number;
  /** What the command wrote, as the lines it wrote (rows the terminal wrapped joined again), without trailing empty lines. */
  lines: string[];
  /** The same output as the terminal showed it, one string per row. */
  rows: string[];
}

/**
 * Runs `ndr ARGS` (the built bin/ndr.js) in a tmux terminal of the given size,
 * waits for it to end and returns its output (stdout and stderr, as a person
 * sees them). A line longer than `lines` shows is one the terminal wrapped.
 */
export async function runNdrInTerminal(
  args: string[],
  size: TerminalSize & { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<TerminalRun> {
  requireTmux();
  const t = new Tmux(size, terminalEnv(size.env));
  try {
    t.start([process.execPath, BIN, ...args].map(quoteArg).join(' '));
    const screen = await t.waitFor(new RegExp(`^${EXIT_MARK}\\d+$`, 'm'), size.timeoutMs ?? 20000);
    const code = Number(new RegExp(`^${EXIT_MARK}(\\d+)$`, 'm').exec(screen)![1]);
    const upToMark = (all: string[]) => {
      const end = all.findIndex((l) => new RegExp(`^${EXIT_MARK}\\d+$`).test(l));
      const out = all.slice(0, end);
      while (out.length && out[out.length - 1]!.trim() === '') out.pop();
      return out;
    };
    return { code, lines: upToMark(screen.replace(/\n$/, '').split('\n')), rows: upToMark(t.physicalRows()) };
  } finally {
    t.kill();
  }
}

/** Columns a line takes (one per code point: ndr prints no wide or combining characters of its own). */
export function displayWidth(line: string): number {
  return [...line.replace(/\s+$/, '')].length;
}

/** A classic Exchange bounce as a person pastes it. */
export const PASTED_BOUNCE =
  'Delivery has failed to these recipients or groups:\n\nalice@contoso.com\n\nRemote Server returned 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n';
