/**
 * `--kb` and NDR_KB as untrusted input, through the real binary: special
 * files, sizes, caps on entries and on the problems reported, unusable
 * directories, patterns that would backtrack for minutes, and the run-time
 * guard on an organisation's patterns (issue 17, item 2).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';

function kbDir(files: Record<string, string> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ndr-kb-')), 'kb');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A valid entry, taken from the test knowledge base so that it follows the schema of the day. */
function entryWith(id: string, patterns: string[], examples: { match: string[]; nomatch: string[] }): string {
  const fixture = fileURLToPath(new URL('../fixtures/kb/precedence/entries.yaml', import.meta.url));
  const base = (parse(readFileSync(fixture, 'utf8')) as { entries: Record<string, unknown>[] }).entries.find(
    (e) => e.id === 'relay-variant',
  )!;
  return stringify({ entries: [{ ...base, id, codes: [], patterns, examples }] });
}

/** A DSN whose diagnostic is `diagnostic`. */
function dsn(diagnostic: string): string {
  return [
    'From: MAILER-DAEMON@mx.example',
    'To: a@b.example',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example',
    '',
    'Final-Recipient: rfc822; u@c.example',
    'Action: failed',
    'Status: 5.0.0',
    `Diagnostic-Code: smtp; 550 ${diagnostic}`,
    '',
    '--b--',
    '',
  ].join('\r\n');
}

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('--kb reads only regular files', () => {
  it('refuses a FIFO named x.yaml instead of hanging on it (exit 3)', async () => {
    const dir = kbDir();
    execFileSync('mkfifo', [join(dir, 'x.yaml')]);
    const r = await runCli(['explain', '--kb', dir, '5.7.1'], { timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/x\.yaml:1: \(file\): a FIFO, not a regular file/);
  });

  it('refuses a link to /dev/zero instead of reading it without end (exit 3)', async () => {
    const dir = kbDir();
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const r = await runCli(['explain', '--kb', dir, '5.7.1'], { timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/zero\.yaml:1: \(file\): a device, not a regular file/);
  });

  it('reads a link to a regular file', async () => {
    const dir = kbDir();
    const target = join(dir, '..', 'elsewhere.yml');
    writeFileSync(target, entryWith('linked-entry', ['linked words'], { match: ['linked words'], nomatch: ['other'] }));
    symlinkSync(target, join(dir, 'linked.yaml'));
    const r = await runCli(['explain', '--kb', dir, '--json', 'some linked words here']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('"linked-entry"');
  });
});

describe('--kb caps', () => {
  it('refuses a 1.8 MB file of 600,000 {} entries quickly, with a bounded report', async () => {
    const text = `entries: [${'{},'.repeat(599_999)}{}]\n`;
    expect(text.length).toBeGreaterThan(1_800_000);
    const dir = kbDir({ 'many.yaml': text });
    const t0 = performance.now();
    const r = await runCli(['explain', '--kb', dir, '5.7.1'], { timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/many\.yaml:1: \(file\): more than 100000 YAML items: not read/);
    expect(lines(r.stderr).length).toBeLessThan(5);
  }, 40_000);

  it('refuses a file with more entries than allowed, naming the count', async () => {
    const dir = kbDir({ 'many.yaml': 'entries:\n' + '- {}\n'.repeat(2_001) });
    const r = await runCli(['explain', '--kb', dir, '5.7.1'], { timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/many\.yaml:1: entries: 2001 entries, more than the 2000 allowed in one file/);
  });

  it('shows at most 50 problems and says how many more there are (explain and kb lint)', async () => {
    const dir = kbDir({ 'bad.yaml': 'entries:\n' + '- { id: x, colour: red }\n'.repeat(100) });
    const r = await runCli(['explain', '--kb', dir, '5.7.1']);
    expect(r.code).toBe(3);
    const out = lines(r.stderr);
    expect(out.filter((l) => /^kb\/bad\.yaml:\d+: /.test(l))).toHaveLength(50);
    expect(out.at(-1)).toMatch(/^\.\.\. and \d{3,} more problems$/);
    const lint = await runCli(['kb', 'lint', dir]);
    expect(lines(lint.stdout).filter((l) => /^kb\/bad\.yaml:\d+: /.test(l))).toHaveLength(50);
    expect(lint.stdout).toMatch(/^\.\.\. and \d{3,} more problems$/m);
  });
});

describe('an unusable --kb is an input error (exit 3, one line)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ndr-kb-')), 'file.yaml');
  writeFileSync(file, 'entries: []\n');
  it.each([
    ['a missing folder', ['--kb', '/nonexistent/ndr-kb'], {}, /^ndr: knowledge base \/nonexistent\/ndr-kb: no such directory\n$/],
    ['a file', ['--kb', file], {}, /^ndr: knowledge base .*file\.yaml: not a directory\n$/],
    ['/dev/zero', ['--kb', '/dev/zero'], {}, /^ndr: knowledge base \/dev\/zero: not a directory\n$/],
    ['/dev/zero in NDR_KB', [], { NDR_KB: '/dev/zero' }, /^ndr: knowledge base \/dev\/zero: not a directory\n$/],
    [
      'a missing folder in NDR_KB',
      [],
      { NDR_KB: '/nonexistent/ndr-kb' },
      /^ndr: knowledge base \/nonexistent\/ndr-kb: no such directory\n$/,
    ],
  ])('%s', async (_name, args, env, message) => {
    const r = await runCli(['explain', ...args, '5.7.1'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('--kb patterns that would backtrack for minutes are refused', () => {
  it.each([
    ['\\u(a+){1,200}$', 'a'.repeat(30)],
    ['\\u(a{1,9}){1,200}$', 'a'.repeat(30)],
    ['zzzqqq|[^](a+)+!]', 'a'.repeat(30)],
    ['zzzqqq|[^](a{1,9}){1,200}!]', 'a'.repeat(30)],
    ['zzzqqq|x{0,200}x{0,200}x{0,200}x{0,200}y', 'x'.repeat(200)],
  ])('%s', async (pattern, text) => {
    const dir = kbDir({ 'slow.yaml': entryWith('slow-entry', [pattern], { match: ['zzzqqq'], nomatch: ['other'] }) });
    const t0 = performance.now();
    const r = await runCli(['explain', '--kb', dir, `550 5.7.1 ${text}`], { timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/slow\.yaml:\d+: slow-entry\.patterns\[0\]: unsafe pattern: /);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('also through a DSN file with NDR_KB', async () => {
    const dir = kbDir({
      'slow.yaml': entryWith('slow-entry', ['zzzqqq|x{0,200}x{0,200}x{0,200}x{0,200}y'], { match: ['zzzqqq'], nomatch: ['other'] }),
    });
    const eml = join(dir, '..', 'dsn.eml');
    writeFileSync(eml, dsn('x'.repeat(200)));
    const r = await runCli(['explain', eml], { env: { NDR_KB: dir }, timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unsafe pattern: repeated parts next to each other can match the same text/);
    // The same DSN without the hostile directory is explained.
    const plain = await runCli(['explain', '--json', eml]);
    expect(plain.code).toBe(0);
  });
});

describe('the run-time guard on --kb patterns', () => {
  it('runs an organisation pattern on the first 2,000 characters of a reply only', async () => {
    const dir = kbDir({ 'own.yaml': entryWith('own-entry', ['qqmarker'], { match: ['qqmarker'], nomatch: ['other'] }) });
    const near = `${'word '.repeat(300)}qqmarker`; // the marker at 1,500
    const far = `${'word '.repeat(500)}qqmarker`; // the marker at 2,500
    const hit = await runCli(['explain', '--kb', dir, '--json', '-'], { input: near });
    expect(JSON.parse(hit.stdout).findings[0]?.match?.id ?? JSON.stringify(JSON.parse(hit.stdout))).toContain('own-entry');
    const miss = await runCli(['explain', '--kb', dir, '--json', '-'], { input: far });
    expect(miss.stdout).not.toContain('own-entry');
  });
});

describe('the pattern parser loads only with a YAML knowledge base', () => {
  /** The files a run of bin/ndr.js loaded (the build is CommonJS, so require.cache holds them all). */
  async function loadedFiles(args: string[]): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-loaded-'));
    const preload = join(dir, 'preload.cjs');
    const out = join(dir, 'loaded.json');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const r = await runCli(args, { env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(r.code).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  }
  const hasParser = (files: string[]) => files.some((f) => f.includes('regexpp') || readFileSync(f, 'utf8').includes('RegExpParser'));

  it('`ndr explain 5.7.1` with the compiled knowledge base does not load it', async () => {
    expect(hasParser(await loadedFiles(['explain', '5.7.1']))).toBe(false);
  });

  it('`ndr explain --kb DIR 5.7.1` does (the same probe sees it)', async () => {
    expect(hasParser(await loadedFiles(['explain', '--kb', kbDir(), '5.7.1']))).toBe(true);
  });
});
