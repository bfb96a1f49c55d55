/**
 * Terminal safety through the real binary: crafted bounces (test/fixtures/hostile,
 * written by scripts/make-hostile-fixtures.mjs) and file names with control
 * characters. No raw control, C1, bidi or zero-width character from the input
 * reaches stdout or stderr, in text or --json mode; in text the user sees the
 * escape and the hint (cli-conventions.md §B2).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { runRaw, terminalHazard } from './run-raw.js';

const DIR = join(ROOT, 'test/fixtures/hostile');
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();
const HINT = 'terminal control, bidirectional or invisible characters';

function expectSafe(bytes: Buffer, what: string): void {
  expect(terminalHazard(bytes), what).toBeNull();
}

describe('hostile messages through bin/ndr.js explain', () => {
  it('has the fixture set', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(7);
    // The fixtures do carry what they claim to: ESC or 8-bit C1 bytes, raw or encoded.
    for (const f of FIXTURES) expect(readFileSync(join(DIR, f)).length, f).toBeGreaterThan(200);
  });

  it.each(FIXTURES)('%s: text output is free of raw controls and shows escapes and the hint', async (name) => {
    const r = await runRaw(['explain', join(DIR, name)]);
    expect(r.code, r.stderr.toString()).toBe(0);
    expectSafe(r.stdout, `${name} stdout`);
    expectSafe(r.stderr, `${name} stderr`);
    const out = r.stdout.toString('utf8');
    expect(out).toMatch(/\\x(1b|9b|9d|0d|08)|\\u202e/);
    expect(out.replace(/\s+/g, ' ')).toContain(HINT);
  });

  it.each(FIXTURES)('%s: --json output is free of raw controls, parses, and carries the hint', async (name) => {
    const r = await runRaw(['explain', '--json', join(DIR, name)]);
    expect(r.code, r.stderr.toString()).toBe(0);
    expectSafe(r.stdout, `${name} stdout`);
    expectSafe(r.stderr, `${name} stderr`);
    const doc = JSON.parse(r.stdout.toString('utf8')) as { hints: { id: string }[] };
    expect(doc.hints.map((h) => h.id)).toContain('control-characters');
  });

  it('the same from standard input, and all of them as one batch', async () => {
    const one = await runRaw(['explain', '-'], { input: readFileSync(join(DIR, 'raw-sequences.eml')) });
    expectSafe(one.stdout, 'stdin stdout');
    expectSafe(one.stderr, 'stdin stderr');
    for (const json of [false, true]) {
      const r = await runRaw(['explain', ...(json ? ['--json'] : []), DIR]);
      expectSafe(r.stdout, 'batch stdout');
      expectSafe(r.stderr, 'batch stderr');
    }
  });

  it('pasted text arguments with control sequences are shown escaped', async () => {
    const r = await runRaw(['explain', `550 5.1.1 user unknown \u001b]52;c;ZXZpbA==\u0007 \u202e \u009b2J`]);
    expectSafe(r.stdout, 'stdout');
    expectSafe(r.stderr, 'stderr');
    expect(r.stdout.toString()).toContain('\\x1b');
    const j = await runRaw(['explain', '--json', `550 5.1.1 \u001b[2J \u202e \u009b`]);
    expectSafe(j.stdout, 'json stdout');
  });
});

describe('file names with control characters', () => {
  let tmp: string;
  const evil = `bounce\u001b[2J\u001b]0;pwned\u0007\u202egnp\u009b.eml`;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ndr-hostile-'));
    copyFileSync(join(DIR, 'raw-sequences.eml'), join(tmp, evil));
    writeFileSync(join(tmp, `notmail\u001b[31m\u202e.eml`), 'just some text, no headers\n');
    writeFileSync(join(tmp, `empty\u001b[31m.eml`), '');
    writeFileSync(join(tmp, `binary\u001b[31m.eml`), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a message file: its name is escaped in text and JSON', async () => {
    for (const args of [['explain', join(tmp, evil)], ['explain', '--json', join(tmp, evil)]]) {
      const r = await runRaw(args);
      expectSafe(r.stdout, `${args.join(' ')} stdout`);
      expectSafe(r.stderr, `${args.join(' ')} stderr`);
    }
  });

  it.each([`missing\u001b[2J\u202e.eml`, `notmail\u001b[31m\u202e.eml`, `empty\u001b[31m.eml`, `binary\u001b[31m.eml`])('%j: the error names the file with escapes', async (name) => {
    for (const json of [false, true]) {
      const r = await runRaw(['explain', ...(json ? ['--json'] : []), join(tmp, name)]);
      expectSafe(r.stdout, `${name} stdout`);
      expectSafe(r.stderr, `${name} stderr`);
    }
    // A text file that is no message is explained as pasted text, and its name is not printed.
    if (name.startsWith('notmail')) return;
    const r = await runRaw(['explain', join(tmp, name)]);
    expect(r.stderr.toString() + r.stdout.toString()).toContain('\\x1b');
  });

  it('a folder of such files (batch mode: separators and summary)', async () => {
    for (const json of [false, true]) {
      const r = await runRaw(['explain', ...(json ? ['--json'] : []), tmp]);
      expectSafe(r.stdout, 'folder stdout');
      expectSafe(r.stderr, 'folder stderr');
      if (!json) expect(r.stdout.toString()).toContain('bounce\\x1b[2J');
    }
  });
});
