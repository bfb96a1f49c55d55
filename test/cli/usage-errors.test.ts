/**
 * One error path (issue 15 item 3, issue 17 item 4): commander's own errors
 * (unknown option or command, a bad --audience, a missing or extra argument)
 * are one sanitised `ndr:` line on stderr with exit 2; and a single input that
 * fails prints its error object on stdout with --json, as a batch does.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const OSC52 = '\u001b]52;c;aGk=\u0007';

describe('usage errors', () => {
  it.each([
    ['an unknown option', ['explain', '--bogus', '5.7.1'], /^ndr: unknown option '--bogus'/],
    ['an unknown option with a suggestion', ['explain', '--jsn', '5.7.1'], /^ndr: unknown option '--jsn' \(Did you mean --json\?\)/],
    ['an unknown command', ['frobnicate'], /^ndr: unknown command 'frobnicate'/],
    ['a bad --audience', ['explain', '--audience', 'boss', '5.7.1'], /^ndr: option '-a, --audience <who>' argument 'boss' is invalid/],
    ['a missing argument', ['check-mx'], /^ndr: missing required argument 'domain'/],
    ['too many arguments', ['codes', '5.7', 'relay'], /^ndr: too many arguments for 'codes'/],
    ['an option carrying OSC 52', ['explain', `--x${OSC52}`], /^ndr: unknown option '--x\\x1b\]52;c;aGk=\\x07'/],
    ['a file name starting with "-" carrying OSC 52', ['explain', `-${OSC52}.eml`], /^ndr: unknown option '-\\x1b\]52;c;aGk=\\x07\.eml'/],
  ])('%s is one sanitised ndr: line on stderr, exit 2', async (_what, args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('one failing input with --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ndr-single-error-'));
  const binary = join(dir, 'noise.eml');
  writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  it.each([
    ['a missing file', join(dir, 'missing.eml'), /: no such file$/],
    ['a binary file', binary, /: binary data, not an e-mail message$/],
  ])('%s prints its error object on stdout and one ndr: line, exit 3', async (_what, file, message) => {
    const r = await runCli(['explain', '--json', file]);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, file, error: { code: 'input' } });
    expect(doc.error.message).toMatch(message);
    expect(r.stderr).toBe(`ndr: ${doc.error.message}\n`);
  });
});
