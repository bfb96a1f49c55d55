/**
 * Issue 15: every line fits the terminal, and the focused answer is short.
 * The built CLI runs in a real terminal (tmux, test/helpers/terminal.ts) of
 * 60, 80 and 120 columns; a line the terminal had to wrap shows up longer than
 * the terminal. Without a terminal (pipes) the output is laid out for 80.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { displayWidth, runNdrInTerminal } from '../helpers/terminal.js';

const PASTED =
  '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Blocklist 1';

/** [what, arguments, the most lines at 80 columns (null: no target)]. */
const RUNS: [string, string[], number | null][] = [
  ['a code', ['explain', '5.7.1'], 40],
  ['the bundled example bounce', ['explain', 'examples/bounce-5.1.10.eml'], 60],
  ['pasted NDR text', ['explain', PASTED], null],
  ['a saved NDR text file', ['explain', 'examples/ndr-5.1.10.txt'], null],
  ['a folder of bounces (batch)', ['explain', 'test/fixtures/eml'], null],
  ['a code, everything', ['explain', '--full', '5.7.1'], null],
  ['the example bounce, everything', ['explain', '--full', 'examples/bounce-5.1.10.eml'], null],
  ['the knowledge base list', ['codes'], null],
  ['a code search', ['codes', '5.7'], null],
];

describe.each([60, 80, 120])('in a terminal %i columns wide', (columns) => {
  it.each(RUNS)(
    '%s: no line wider than the terminal',
    async (_what, args, most) => {
      const r = await runNdrInTerminal(args, { columns, rows: 40 });
      expect(r.code, r.lines.join('\n')).toBe(0);
      expect(r.lines.length).toBeGreaterThan(3);
      const wide = r.lines.filter((l) => displayWidth(l) > columns);
      expect(wide, `lines wider than ${columns} columns`).toEqual([]);
      // Nothing wrapped: the rows the terminal shows are the lines the program wrote.
      expect(r.rows.length).toBe(r.lines.length);
      if (columns === 80 && most !== null) expect(r.lines.length, r.lines.join('\n')).toBeLessThanOrEqual(most);
    },
    60000,
  );
});

describe('without a terminal (pipes): laid out for 80 columns', () => {
  it.each(RUNS)('%s', async (_what, args) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const wide = r.stdout.split('\n').filter((l) => displayWidth(l) > 80);
    expect(wide).toEqual([]);
  });
});
