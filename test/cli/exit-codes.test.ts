/**
 * Each exit code means one thing (issue 13 item 3): every row of the EXIT
 * table run end to end through bin/ndr.js, with the one `ndr:` line main()
 * says for it; and README's table and `ndr --help` list the same codes.
 * 130 and 143 (signals) are run in output.test.ts (a batch) and
 * wizard.test.ts (Ctrl+C in the wizard, and quitting it from its menu: 0).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startDnsServer, type DnsTestServer } from '../helpers/dns-server.js';
import { testTempDir } from '../helpers/tmp.js';

/** A knowledge-base folder with one entry that has an unknown key and lacks the required ones: kb lint finds problems. */
function badKb(): string {
  const dir = join(testTempDir('ndr-exit-'), 'kb');
  mkdirSync(dir);
  writeFileSync(join(dir, 'bad.yaml'), 'entries:\n- { id: x, colour: red }\n');
  return dir;
}

/**
 * A preload that breaks ndr from inside (a write to stdout throws a TypeError, whether it goes through
 * process.stdout or straight to descriptor 1: src/cli/direct-output.ts): what a bug looks like to main().
 */
function brokenStdout(): string {
  const file = join(testTempDir('ndr-exit-'), 'broken-stdout.cjs');
  writeFileSync(
    file,
    [
      "const fs = require('node:fs');",
      'const writeSync = fs.writeSync;',
      "const fault = () => { throw new TypeError('injected fault'); };",
      'fs.writeSync = (fd, ...rest) => (fd === 1 ? fault() : writeSync(fd, ...rest));',
      'process.stdout.write = fault;',
    ].join('\n'),
  );
  return file;
}

let nxdomain: DnsTestServer;
let silent: DnsTestServer;
beforeAll(async () => {
  // No records: every name is NXDOMAIN, so the domain has no MX and check-mx finds failures.
  nxdomain = await startDnsServer({ records: [] });
  silent = await startDnsServer({ silent: true });
});
afterAll(async () => {
  await nxdomain.close();
  await silent.close();
});

type Row = [meaning: string, code: number, args: () => string[], stderr: RegExp, env?: () => NodeJS.ProcessEnv];

const ROWS: Row[] = [
  ['explained', EXIT.ok, () => ['explain', '5.7.1'], /^$/],
  ['kb lint: no problem', EXIT.ok, () => ['kb', 'lint'], /^$/],
  [
    'explain: nothing recognisable',
    EXIT.nothingRecognised,
    () => ['explain', 'hello there'],
    /^ndr: no status code or known NDR text found/,
  ],
  [
    'codes: no entry matches',
    EXIT.nothingRecognised,
    () => ['codes', 'no-such-words-anywhere'],
    /^ndr: no knowledge-base entry matches "no-such-words-anywhere"\n$/,
  ],
  [
    'explain: a bad --timeout without --check (checked up front)',
    EXIT.usage,
    () => ['explain', '--timeout', 'x', '5.7.1'],
    /^ndr: --timeout must be a number of seconds/,
  ],
  [
    'explain: a bad --deadline without --check',
    EXIT.usage,
    () => ['explain', '--deadline', '0', '5.7.1'],
    /^ndr: --deadline must be a number of seconds/,
  ],
  [
    'explain: a bad --nameserver without --check',
    EXIT.usage,
    () => ['explain', '--nameserver', 'dns.example', '5.7.1'],
    /^ndr: bad --nameserver "dns\.example"/,
  ],
  [
    'explain: a bad --timeout comes before reading the input',
    EXIT.usage,
    () => ['explain', '--timeout', 'x', 'missing.eml'],
    /^ndr: --timeout must be/,
  ],
  ['an unknown option', EXIT.usage, () => ['codes', '--bogus'], /^ndr: unknown option '--bogus'/],
  ['explain: a missing file', EXIT.input, () => ['explain', 'missing.eml'], /^ndr: missing\.eml: no such file\n$/],
  [
    'kb lint: problems found (an invalid knowledge base)',
    EXIT.input,
    () => ['kb', 'lint', badKb()],
    /^ndr: 1 file\(s\), 0 valid entries, [1-9]\d* problem\(s\)\n$/,
  ],
  [
    'check-mx: the DNS did not answer by the --deadline',
    EXIT.temporary,
    () => ['check-mx', '--nameserver', silent.nameserver, '--deadline', '0.3', 'contoso.example'],
    /^ndr: stopped at the overall DNS deadline of 0\.3 s/,
  ],
  ['check-mx: a check failed', EXIT.checkFailed, () => ['check-mx', '--nameserver', nxdomain.nameserver, 'contoso.example'], /^$/],
  [
    'a bug (an error ndr does not know)',
    EXIT.internal,
    () => ['explain', '5.7.1'],
    /^ndr: internal error \(TypeError: injected fault\)\. This is a bug in ndr; please report it/,
    () => ({ NODE_OPTIONS: `--require ${brokenStdout()}` }),
  ],
];

describe('exit codes through bin/ndr.js', () => {
  it.each(ROWS)('%s: exit %i', async (_meaning, code, args, stderr, env) => {
    const r = await runCli(args(), env ? { env: env() } : {});
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(stderr);
    // At most one ndr: line (kb lint and check-mx print their findings on stdout).
    expect(r.stderr.split('\n').filter((l) => l.startsWith('ndr:')).length).toBeLessThanOrEqual(1);
  });

  it('kb lint --json with problems: exit 3, the problems in the document, nothing on stderr', async () => {
    const r = await runCli(['kb', 'lint', '--json', badKb()]);
    expect(r.code).toBe(EXIT.input);
    const doc = JSON.parse(r.stdout) as { files: number; entries: number; problems: { file: string; line: number }[] };
    expect(doc).toMatchObject({ files: 1, entries: 0 });
    expect(doc.problems.length).toBeGreaterThan(0);
    expect(doc.problems.every((p) => p.file === 'kb/bad.yaml' && p.line === 2)).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('every code has a row here or in the signal tests', () => {
    const tested = new Set(ROWS.map((r) => r[1]));
    expect(Object.values(EXIT).filter((c) => !tested.has(c))).toEqual([EXIT.interrupted]);
  });
});

describe('the exit codes are documented alike', () => {
  it("README's table lists exactly the EXIT codes (and SIGTERM's 143)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1));
    const codes = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT));
  });

  it('`ndr --help` names every code', async () => {
    const r = await runCli(['--help']);
    const epilogue = r.stdout.slice(r.stdout.indexOf('Exit codes:')).replace(/\s+/g, ' ');
    for (const code of Object.values(EXIT)) expect(epilogue).toMatch(new RegExp(`[:,] ${code} `));
  });
});
