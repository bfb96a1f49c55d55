/**
 * Terminal safety through the real binary: crafted bounces (test/fixtures/hostile,
 * written by scripts/make-hostile-fixtures.mjs) and file names with control
 * characters. No raw control, C1, bidi or zero-width character from the input
 * reaches stdout or stderr, in text or --json mode; in text the user sees the
 * escape and the hint (cli-conventions.md §B2). The same for DNS answers
 * through `ndr check-mx` (TXT records and names).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { startDnsServer, type DnsTestServer } from '../helpers/dns-server.js';
import { runRaw, terminalHazard } from './run-raw.js';

const DIR = join(ROOT, 'test/fixtures/hostile');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort();
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
    for (const args of [
      ['explain', join(tmp, evil)],
      ['explain', '--json', join(tmp, evil)],
    ]) {
      const r = await runRaw(args);
      expectSafe(r.stdout, `${args.join(' ')} stdout`);
      expectSafe(r.stderr, `${args.join(' ')} stderr`);
    }
  });

  it.each([`missing\u001b[2J\u202e.eml`, `notmail\u001b[31m\u202e.eml`, `empty\u001b[31m.eml`, `binary\u001b[31m.eml`])(
    '%j: the error names the file with escapes',
    async (name) => {
      for (const json of [false, true]) {
        const r = await runRaw(['explain', ...(json ? ['--json'] : []), join(tmp, name)]);
        expectSafe(r.stdout, `${name} stdout`);
        expectSafe(r.stderr, `${name} stderr`);
      }
      // A text file that is no message is explained as pasted text, and its name is not printed.
      if (name.startsWith('notmail')) return;
      const r = await runRaw(['explain', join(tmp, name)]);
      expect(r.stderr.toString() + r.stdout.toString()).toContain('\\x1b');
    },
  );

  it('a folder of such files (batch mode: separators and summary)', async () => {
    for (const json of [false, true]) {
      const r = await runRaw(['explain', ...(json ? ['--json'] : []), tmp]);
      expectSafe(r.stdout, 'folder stdout');
      expectSafe(r.stderr, 'folder stderr');
      if (!json) expect(r.stdout.toString()).toContain('bounce\\x1b[2J');
    }
  });
});

/**
 * DNS data is input too: TXT records (SPF, DMARC) and names from an answer
 * carry ESC, CSI, OSC 8 (hyperlink), OSC 52 (clipboard), C1 (raw 8-bit and
 * UTF-8), bidi and zero-width characters. Served by our fault server over real
 * sockets; `ndr check-mx` prints them escaped in text and in --json.
 */
describe('hostile DNS answers through bin/ndr.js check-mx', () => {
  const D = 'hostile.ndr-test.example';
  const ESC = '\u001b';
  const OSC8 = `${ESC}]8;;https://evil.example/${'\u0007'}click here${ESC}]8;;${'\u0007'}`;
  const OSC52 = `${ESC}]52;c;ZWNobyBwd25lZA==${'\u0007'}`;
  const text = (s: string) => Buffer.from(s, 'utf8');
  // Three character-strings: UTF-8, a raw 0x9b byte (8-bit CSI: not UTF-8, so that string is read as Latin-1), UTF-8.
  const spf = [
    text(`v=spf1 include:spf.protection.outlook.com ${ESC}[31mPASS${ESC}[0m ${OSC8} ${OSC52} `),
    Buffer.from([0x9b, 0x32, 0x4a, 0x20]),
    text('\u009d0;title\u009c \u202egnp.exe \u2066x\u2069 zero\u200bwidth -all'),
  ];
  const dmarc = text(`v=DMARC1; p=reject; rua=mailto:${OSC8}@evil.example; ${ESC}[2J${ESC}[H \u202e \u009b2J`);
  const host = `${D.replace(/\./g, '-')}.mail.protection.outlook.com`;
  let dns: DnsTestServer;

  beforeAll(async () => {
    dns = await startDnsServer({
      records: [
        { name: D, type: 'MX', ttl: 60, data: { preference: 0, exchange: host } },
        { name: D, type: 'MX', ttl: 60, data: { preference: 10, exchange: `mx${ESC}[31m.evil${'\u202e'}.example` } },
        { name: host, type: 'A', ttl: 60, data: '192.0.2.40' },
        { name: D, type: 'TXT', ttl: 60, data: spf },
        { name: `_dmarc.${D}`, type: 'TXT', ttl: 60, data: [dmarc] },
        { name: `autodiscover.${D}`, type: 'CNAME', ttl: 60, data: `autodiscover${ESC}]52;c;eA==${'\u0007'}.evil.example` },
        { name: 'spf.protection.outlook.com', type: 'TXT', ttl: 60, data: ['v=spf1 ip4:192.0.2.0/24 -all'] },
      ],
    });
  });
  afterAll(async () => {
    await dns?.close();
  });

  it('text: the records are shown with visible escapes, never raw', async () => {
    const r = await runRaw(['check-mx', '--nameserver', dns.nameserver, '--timeout', '2', D]);
    expect(r.code, r.stderr.toString()).toBe(5);
    expectSafe(r.stdout, 'check-mx stdout');
    expectSafe(r.stderr, 'check-mx stderr');
    const out = r.stdout.toString('utf8');
    for (const shown of [
      '"\\x1b[31mPASS\\x1b[0m"',
      '"\\x1b]8;;https://evil.example/\\x07click"',
      '"\\x1b]52;c;ZWNobyBwd25lZA==\\x07"',
      '"\\x9b2J"',
      '"\\x9d0;title\\x9c"',
      '"\\u202egnp.exe"',
      '"\\u2066x\\u2069"',
      '"zero\\u200bwidth"',
      '"\\x1b[2J\\x1b[H \\u202e \\x9b2J"',
      'mx\\x1b[31m.evil\\u202e.example',
      'autodiscover\\x1b]52;c;ea==\\x07.evil.example',
    ]) {
      expect(out.replace(/\n +/g, ' '), shown).toContain(shown);
    }
  });

  it('--json: the document parses, holds the data, and its bytes are safe', async () => {
    const r = await runRaw(['check-mx', '--json', '--nameserver', dns.nameserver, '--timeout', '2', D]);
    expect(r.code, r.stderr.toString()).toBe(5);
    expectSafe(r.stdout, 'check-mx --json stdout');
    expectSafe(r.stderr, 'check-mx --json stderr');
    const doc = JSON.parse(r.stdout.toString('utf8')) as {
      checks: { id: string; message: string; evidence: { name: string; value: string | null }[] }[];
    };
    const check = (id: string) => doc.checks.find((c) => c.id === id)!;
    // The parsed strings hold the characters themselves: escaping is for the bytes on stdout only.
    expect(check('spf-record').message).toContain(`"${OSC52}"`);
    expect(check('spf-record').message).toContain('"\u009b2J"');
    expect(check('spf-record').message).toContain('"\u202egnp.exe"');
    expect(check('dmarc').message).toContain('\u0007click here\u001b]8"');
    expect(check('mx-target').message).toContain(`mx${ESC}[31m.evil\u202e.example`);
    const evidence = (id: string) =>
      check(id)
        .evidence.map((e) => `${e.name} ${e.value ?? ''}`)
        .join('\n');
    expect(evidence('autodiscover')).toContain(`autodiscover${ESC}]52;c;ea==\u0007.evil.example`);
  });
});
