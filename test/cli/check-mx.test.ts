// `ndr check-mx` end to end: the real binary (bin/ndr.js, built by `npm run build`)
// against a real authoritative server (NSD) serving test/fixtures/zones.
import { createSocket } from 'node:dgram';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, type CheckStatus } from '../../src/checks/types.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../helpers/cli.js';
import { startNsd, type NsdServer } from '../helpers/nsd.js';

let nsd: NsdServer;

beforeAll(async () => {
  nsd = await startNsd();
});

afterAll(async () => {
  await nsd?.stop();
});

interface JsonEvidence {
  name: string;
  type: string;
  value: string | null;
  strings?: string[];
  ttl: number | null;
  status: string;
  detail?: string;
}
interface JsonCheck {
  id: string;
  status: CheckStatus;
  message: string;
  evidence: JsonEvidence[];
  spfLookups?: {
    rows: { depth: number; record: string; term: string; lookups: number; void: boolean; note: string | null }[];
    total: number;
    voidLookups: number;
    limit: number;
    voidLimit: number;
  };
  fix: { steps: string[]; kb: string | null; docs: string[] } | null;
}
interface JsonReport {
  schemaVersion: number;
  domain: string;
  nameservers: string[];
  checks: JsonCheck[];
  elapsedMs: number;
  rounds: number;
}

async function checkJson(domain: string, extra: string[] = []) {
  const r = await runCli(['check-mx', '--json', '--nameserver', nsd.nameserver, '--timeout', '2', ...extra, domain]);
  const report = JSON.parse(r.stdout) as JsonReport;
  const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  return { r, report, statuses };
}

const PASS = Object.fromEntries(CHECK_IDS.map((id) => [id, 'pass'])) as Record<string, CheckStatus>;
const MX_GONE = { 'mx-records': 'fail', 'mx-count': 'fail', 'mx-target': 'fail', 'mx-resolves': 'fail' } as const;
const SPF_GONE = { 'spf-record': 'fail', 'spf-eop': 'fail', 'spf-lookups': 'fail', 'spf-all': 'fail' } as const;
const NO_DKIM_AUTODISCOVER = { dkim: 'warn', autodiscover: 'warn' } as const;

// Scenario zone (test/fixtures/zones/<name>.ndr-test.example.zone) -> statuses that differ from pass, exit code.
const SCENARIOS: Array<[name: string, expected: Partial<Record<string, CheckStatus>>, exit: number]> = [
  ['ok', {}, 0],
  ['mxms', {}, 0],
  ['migrating', { 'mx-count': 'warn' }, 0],
  ['twomx', { 'mx-count': 'fail', 'mx-target': 'warn' }, 5],
  ['elsewhere', { 'mx-count': 'warn', 'mx-target': 'warn', dmarc: 'warn', ...NO_DKIM_AUTODISCOVER }, 0],
  ['otherdomain', { 'mx-target': 'fail' }, 5],
  ['nospf', SPF_GONE, 5],
  ['twospf', SPF_GONE, 5],
  ['noeop', { 'spf-eop': 'fail' }, 5],
  ['toomany', { 'spf-lookups': 'fail' }, 5],
  ['split', {}, 0],
  ['plusall', { 'spf-all': 'fail' }, 5],
  ['nullmx', { ...MX_GONE, 'spf-eop': 'fail', ...NO_DKIM_AUTODISCOVER }, 5],
  ['nomx', MX_GONE, 5],
  ['missing', { ...MX_GONE, ...SPF_GONE, dmarc: 'fail', ...NO_DKIM_AUTODISCOVER }, 5],
  ['escape', { 'spf-record': 'fail' }, 5],
];

describe('ndr check-mx against NSD', () => {
  for (const [name, expected, exit] of SCENARIOS) {
    it(`${name}.ndr-test.example: ${
      Object.entries(expected)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'all pass'
    } (exit ${exit})`, async () => {
      const { r, statuses } = await checkJson(`${name}.ndr-test.example`);
      expect(statuses).toEqual({ ...PASS, ...expected });
      expect(r.code).toBe(exit);
      expect(r.stderr).toBe('');
    });
  }

  it('prints the documented JSON document, and a correct domain takes 2 rounds', async () => {
    const { report } = await checkJson('OK.ndr-test.example.');
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['schemaVersion', 'domain', 'nameservers', 'checks', 'elapsedMs']));
    expect(report).toMatchObject({ schemaVersion: 2, domain: 'ok.ndr-test.example', nameservers: [nsd.nameserver] });
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of report.checks) {
      expect(Object.keys(c).sort()).toEqual(
        c.id === 'spf-lookups'
          ? ['evidence', 'fix', 'id', 'message', 'spfLookups', 'status']
          : ['evidence', 'fix', 'id', 'message', 'status'],
      );
    }
    // Records as data: name, type, value and the TTL the zone gives.
    const mx = report.checks[0]!.evidence;
    expect(mx).toHaveLength(1);
    expect(mx[0]).toMatchObject({
      name: 'ok.ndr-test.example',
      type: 'MX',
      value: '0 ok-ndrtest-example01b.mail.protection.outlook.com',
      status: 'ok',
    });
    expect(mx[0]!.ttl).toBeGreaterThan(0);
    expect(report.rounds).toBe(2);
    expect(typeof report.elapsedMs).toBe('number');
  });

  it('counts SPF lookups over the whole tree, one row per counting term that adds up, within d + 2 rounds', async () => {
    const { report } = await checkJson('toomany.ndr-test.example');
    const c = report.checks.find((x) => x.id === 'spf-lookups')!;
    expect(c.message).toMatch(/^13 DNS lookups, over the limit of 10/);
    const b = c.spfLookups!;
    expect(b).toMatchObject({ total: 13, voidLookups: 0, limit: 10, voidLimit: 2 });
    expect(b.rows.reduce((n, r) => n + r.lookups, 0)).toBe(b.total);
    // Each include counts its own lookup, and a/mx/exists terms are listed where they stand.
    expect(b.rows.filter((r) => r.depth === 0).map((r) => r.term)).toEqual([
      'include:spf.protection.outlook.com',
      'include:a.spf-includes.ndr-test.example',
      'include:b.spf-includes.ndr-test.example',
      'mx',
    ]);
    expect(b.rows.find((r) => r.term === 'include:c.spf-includes.ndr-test.example')).toMatchObject({
      depth: 1,
      record: 'a.spf-includes.ndr-test.example',
      lookups: 1,
    });
    // The text shows the same rows and their sum.
    const text = await runCli(['check-mx', '--nameserver', nsd.nameserver, 'toomany.ndr-test.example']);
    const block = text.stdout.slice(text.stdout.indexOf('SPF lookups'));
    const shown = [...block.matchAll(/^ {4} +(\d+) {2}(?!lookups in all)/gm)].map((m) => Number(m[1]));
    expect(shown).toHaveLength(b.rows.length);
    expect(shown.reduce((x, y) => x + y, 0)).toBe(13);
    expect(block).toMatch(/^ +13 {2}lookups in all, 0 void$/m);
    expect(c.fix?.steps.length).toBeGreaterThan(0);
    // Include depth 2 (a -> c), with a/exists terms at the bottom.
    expect(report.rounds).toBeLessThanOrEqual(2 + 2);
  });

  it('joins split TXT strings', async () => {
    const { report } = await checkJson('split.ndr-test.example');
    const [txt, ...more] = report.checks.find((x) => x.id === 'spf-record')!.evidence;
    expect(more).toEqual([]);
    expect(txt).toMatchObject({
      name: 'split.ndr-test.example',
      type: 'TXT',
      value: 'v=spf1 ip4:192.0.2.0/24 include:spf.protection.outlook.com -all',
      strings: ['v=spf1 ip4:192.0.2.0/24 include:spf.prot', 'ection.outlook.com', ' -all'],
    });
    const text = await runCli(['check-mx', '--nameserver', nsd.nameserver, 'split.ndr-test.example']);
    expect(text.code).toBe(0);
  });

  it('text mode: one line per check, then details of what does not pass', async () => {
    const r = await runCli(['check-mx', '--nameserver', nsd.nameserver, 'twomx.ndr-test.example']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    for (const id of CHECK_IDS)
      expect(
        lines.some((l) => new RegExp(`^  (PASS|WARN|FAIL|ERROR) +${id} `).test(l)),
        id,
      ).toBe(true);
    expect(r.stdout).toMatch(/^ {2}FAIL {3}mx-count {6}2 MX records/m);
    expect(r.stdout).toMatch(/^FAIL {2}mx-count\n/m);
    expect(r.stdout).toContain('    twomx.ndr-test.example MX 10 backup.twomx.ndr-test.example');
    expect(r.stdout).toContain('bounces this causes: ndr codes relay-access-denied');
    expect(r.stdout).toMatch(/9 passed, 1 warning, 1 failed\n$/);
    // Not a terminal: no colour, no progress.
    expect(r.stdout).not.toContain('\u001b');
  });

  it('text mode shows ESC, OSC and BEL bytes from a TXT record escaped, never raw', async () => {
    const r = await runCli(['check-mx', '--nameserver', nsd.nameserver, 'escape.ndr-test.example'], { env: { FORCE_COLOR: '0' } });
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('\\x1b[31mPASS\\x1b]0;owned\\x07');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('colours the status only when asked, and --no-color wins', async () => {
    const colour = await runCli(['check-mx', '--nameserver', nsd.nameserver, 'ok.ndr-test.example'], { env: { FORCE_COLOR: '1' } });
    expect(colour.stdout).toContain('\u001b[32mPASS');
    const plain = await runCli(['check-mx', '--no-color', '--nameserver', nsd.nameserver, 'ok.ndr-test.example'], {
      env: { FORCE_COLOR: '1' },
    });
    expect(plain.stdout).not.toContain('\u001b');
    expect(plain.code).toBe(0);
  });

  it('accepts an address or a U-label domain and checks its A-label form', async () => {
    const { report } = await checkJson('postmaster@OK.ndr-test.example');
    expect(report.domain).toBe('ok.ndr-test.example');
    const idn = await checkJson('bücher.ndr-test.example');
    expect(idn.report.domain).toBe('xn--bcher-kva.ndr-test.example');
    expect(idn.statuses['mx-records']).toBe('fail');
  });
});

/** In-process streams, so stderr can claim to be a terminal. */
function fakeIo(stderrIsTTY: boolean): CliIo & { out: () => string; err: () => string } {
  const sink = (isTTY: boolean) => {
    const chunks: string[] = [];
    const stream = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
      { isTTY },
    );
    return { stream, text: () => chunks.join('') };
  };
  const stdout = sink(false);
  const stderr = sink(stderrIsTTY);
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([]),
    env: { NO_COLOR: '1' },
    out: stdout.text,
    err: stderr.text,
  };
}

describe('ndr check-mx progress', () => {
  it('shows progress on stderr only when stderr is a terminal, and clears it', async () => {
    const tty = fakeIo(true);
    expect(await main(['check-mx', '--nameserver', nsd.nameserver, 'ok.ndr-test.example'], tty)).toBe(0);
    expect(tty.err()).toMatch(/^\r\x1b\[Kchecking ok\.ndr-test\.example: \d+\/\d+ answers/);
    expect(tty.err().endsWith('\r\x1b[K')).toBe(true);
    expect(tty.out()).toMatch(/11 passed, 0 warnings, 0 failed/);

    const pipe = fakeIo(false);
    expect(await main(['check-mx', '--nameserver', nsd.nameserver, 'ok.ndr-test.example'], pipe)).toBe(0);
    expect(pipe.err()).toBe('');

    const json = fakeIo(true);
    expect(await main(['check-mx', '--json', '--nameserver', nsd.nameserver, 'ok.ndr-test.example'], json)).toBe(0);
    expect(json.err()).toBe('');
    expect(JSON.parse(json.out()).domain).toBe('ok.ndr-test.example');
  });
});

describe('ndr check-mx exit codes', () => {
  it('2 on usage errors: bad domain, bad --nameserver, bad --timeout, no domain', async () => {
    for (const args of [
      ['check-mx', 'not a domain'],
      ['check-mx', 'localhost'],
      ['check-mx', '192.0.2.1'],
      ['check-mx', '--nameserver', 'dns.example.com', 'contoso.com'],
      ['check-mx', '--nameserver', '127.0.0.1:99999', 'contoso.com'],
      ['check-mx', '--timeout', 'soon', 'contoso.com'],
      ['check-mx', '--timeout', '0', 'contoso.com'],
      ['check-mx'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/\S/);
    }
  });

  it('4 when the DNS cannot be asked (nothing listens on the port), with every check an error', async () => {
    const port = await closedUdpPort();
    const r = await runCli(['check-mx', '--json', '--nameserver', `127.0.0.1:${port}`, '--timeout', '0.2', 'ok.ndr-test.example']);
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.checks.map((c) => c.status)).toEqual(CHECK_IDS.map(() => 'error'));
    expect(report.checks.every((c) => c.message.startsWith('could not look up'))).toBe(true);
    expect(report.checks[0]!.evidence).toEqual([
      {
        name: 'ok.ndr-test.example',
        type: 'MX',
        value: null,
        ttl: null,
        status: 'error',
        detail: expect.stringContaining(`127.0.0.1:${port}: connection refused`),
      },
    ]);
    // Text: said once, in one line naming the server and the reason; nothing else.
    const text = await runCli(['check-mx', '--nameserver', `127.0.0.1:${port}`, '--timeout', '0.2', 'ok.ndr-test.example']);
    expect(text.code).toBe(4);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(
      new RegExp(
        `^ndr: nothing could be checked: no answer: 127\\.0\\.0\\.1:${port}: connection refused \\(nothing listening\\)( \\(\\d tries\\))?\n$`,
      ),
    );
  });

  it('a server that refuses every question: one line, REFUSED said once', async () => {
    const r = await runCli(['check-mx', '--nameserver', nsd.nameserver, '--timeout', '1', 'not-served.example']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^ndr: nothing could be checked: 127\.0\.0\.1:\d+ answered REFUSED( \(\d tries\))?\n$/);
    expect(r.stderr.split('REFUSED')).toHaveLength(2);
  });

  it('help lists the options and the exit codes', async () => {
    const r = await runCli(['check-mx', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--nameserver <ip\[:port\]>/);
    expect(r.stdout).toMatch(/--timeout <seconds>/);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).toMatch(/4 the DNS could not be asked/);
    expect(r.stdout).toMatch(/5 a check failed/);
  });
});

/** A UDP port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
