/**
 * DNS limits through the real binary: `ndr check-mx` against our fault server
 * (real UDP and TCP on 127.0.0.1) serving hostile zones. Each limit ends the
 * work with a clear message and a documented exit code (README, "Limits").
 *
 *   SPF tree        RFC 7208 §4.6.4's 10 lookups; ndr follows SPF_MAX_DEPTH
 *                   levels and SPF_MAX_RECORDS records, and asks MAX_QUERIES
 *                   questions per run at most
 *   CNAME chain     DEFAULT_MAX_CNAME_CHAIN links per lookup, loops refused
 *   answer size     DEFAULT_LIMITS.maxRecords records, maxTxtBytes of TXT per name
 *   run time        --deadline (DEFAULT_DEADLINE_MS) for the whole run
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERIES } from '../../src/checks/ask.js';
import { SPF_MAX_LOOKUPS } from '../../src/checks/spf-record.js';
import { SPF_MAX_DEPTH, SPF_MAX_RECORDS } from '../../src/checks/spf-tree.js';
import { DEFAULT_LIMITS } from '../../src/dns/message.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_CNAME_CHAIN } from '../../src/dns/resolver.js';
import { startDnsServer, type DnsTestServer, type TestRecord } from '../helpers/dns-server.js';
import { runRaw } from './run-raw.js';

/** A TXT record; strings over 255 bytes are split into character-strings (joined again by readers, RFC 7208 §3.3). */
const TXT = (name: string, ...strings: string[]): TestRecord => ({
  name,
  type: 'TXT',
  ttl: 60,
  data: strings.flatMap((s) => s.match(/[^]{1,255}/g) ?? ['']),
});
const CNAME = (name: string, target: string): TestRecord => ({ name, type: 'CNAME', ttl: 60, data: target });
const A = (name: string, address: string): TestRecord => ({ name, type: 'A', ttl: 60, data: address });
const MX = (name: string, preference: number, exchange: string): TestRecord => ({
  name,
  type: 'MX',
  ttl: 60,
  data: { preference, exchange },
});

const EOP = [
  TXT('spf.protection.outlook.com', 'v=spf1 ip4:192.0.2.0/25 include:spfd.protection.outlook.com -all'),
  TXT('spfd.protection.outlook.com', 'v=spf1 ip4:192.0.2.128/25 -all'),
];

/** A domain on Exchange Online where every check passes, except what `over` replaces (same name and type). */
function domain(d: string, over: TestRecord[] = []): TestRecord[] {
  const host = `${d.replace(/\./g, '-')}.mail.protection.outlook.com`;
  const base = [
    MX(d, 0, host),
    A(host, '192.0.2.30'),
    TXT(d, 'v=spf1 include:spf.protection.outlook.com -all'),
    TXT(`_dmarc.${d}`, 'v=DMARC1; p=reject'),
    CNAME(`selector1._domainkey.${d}`, `selector1-${d.replace(/\./g, '-')}._domainkey.limits.onmicrosoft.com`),
    CNAME(`selector2._domainkey.${d}`, `selector2-${d.replace(/\./g, '-')}._domainkey.limits.onmicrosoft.com`),
    CNAME(`autodiscover.${d}`, 'autodiscover.outlook.com'),
  ];
  // A record in `over` replaces the base's of its name and type; a CNAME replaces every record of its name.
  const replaced = new Set(over.map((r) => `${r.name}|${r.type}`));
  const aliased = new Set(over.filter((r) => r.type === 'CNAME').map((r) => r.name));
  return [...base.filter((r) => !replaced.has(`${r.name}|${r.type}`) && !aliased.has(r.name)), ...over];
}

// ---- the zones ------------------------------------------------------------

const DEEP = 'deep.limits.example';
const WIDE = 'wide.limits.example';
const QUERIES = 'queries.limits.example';
const CHAIN_OK = 'chain-ok.limits.example';
const CHAIN_LONG = 'chain-long.limits.example';
const CHAIN_LOOP = 'chain-loop.limits.example';
const MANY = 'many.limits.example';
const BIGTXT = 'bigtxt.limits.example';
const SLOW = 'slow.limits.example';

/** _dmarc.<d> as a chain of `links` CNAMEs ending at the record. */
function dmarcChain(d: string, links: number): TestRecord[] {
  const names = Array.from({ length: links + 1 }, (_, i) => (i === 0 ? `_dmarc.${d}` : `hop${i}.${d}`));
  return [...names.slice(0, -1).map((n, i) => CNAME(n, names[i + 1]!)), TXT(names[links]!, 'v=DMARC1; p=reject')];
}

const RECORDS: TestRecord[] = [
  ...EOP,
  // An include chain 20 levels deep.
  ...domain(DEEP, [TXT(DEEP, 'v=spf1 include:spf.protection.outlook.com include:l1.deep.limits.example -all')]),
  ...Array.from({ length: 20 }, (_, i) => TXT(`l${i + 1}.${DEEP}`, `v=spf1 include:l${i + 2}.${DEEP} -all`)),
  // 8 includes of 8 includes each: 72 SPF records below the root.
  ...domain(WIDE, [
    TXT(WIDE, `v=spf1 include:spf.protection.outlook.com ${Array.from({ length: 8 }, (_, i) => `include:w${i}.${WIDE}`).join(' ')} -all`),
  ]),
  ...Array.from({ length: 8 }, (_, i) =>
    TXT(`w${i}.${WIDE}`, `v=spf1 ${Array.from({ length: 8 }, (_, j) => `include:w${i}-${j}.${WIDE}`).join(' ')} -all`),
  ),
  ...Array.from({ length: 64 }, (_, k) => TXT(`w${k >> 3}-${k & 7}.${WIDE}`, 'v=spf1 ip4:192.0.2.1 -all')),
  // 30 includes of records with 8 a: terms each: 30 + 30 x 8 x 2 questions.
  ...domain(QUERIES, [
    TXT(
      QUERIES,
      `v=spf1 include:spf.protection.outlook.com ${Array.from({ length: 30 }, (_, i) => `include:q${i}.${QUERIES}`).join(' ')} -all`,
    ),
  ]),
  ...Array.from({ length: 30 }, (_, i) =>
    TXT(`q${i}.${QUERIES}`, `v=spf1 ${Array.from({ length: 8 }, (_, j) => `a:h${i}-${j}.${QUERIES}`).join(' ')} -all`),
  ),
  // _dmarc behind CNAME chains.
  ...domain(CHAIN_OK, dmarcChain(CHAIN_OK, DEFAULT_MAX_CNAME_CHAIN)),
  ...domain(CHAIN_LONG, dmarcChain(CHAIN_LONG, DEFAULT_MAX_CNAME_CHAIN + 1)),
  ...domain(CHAIN_LOOP, [
    CNAME(`_dmarc.${CHAIN_LOOP}`, `a.${CHAIN_LOOP}`),
    CNAME(`a.${CHAIN_LOOP}`, `b.${CHAIN_LOOP}`),
    CNAME(`b.${CHAIN_LOOP}`, `_dmarc.${CHAIN_LOOP}`),
  ]),
  // Answers over the caps (both arrive over TCP: the server truncates them over UDP).
  ...domain(
    MANY,
    Array.from({ length: DEFAULT_LIMITS.maxRecords + 50 }, (_, i) => MX(MANY, i, `mx${i}.${MANY}`)),
  ),
  ...domain(
    BIGTXT,
    Array.from({ length: 40 }, (_, i) => TXT(BIGTXT, `${i} ${'x'.repeat(240)}`, 'y'.repeat(250), 'z'.repeat(250), 'w'.repeat(250))),
  ),
  // An include chain answered slowly (the server adds latency to every answer).
  ...domain(SLOW, [TXT(SLOW, 'v=spf1 include:spf.protection.outlook.com include:s1.slow.limits.example -all')]),
  ...Array.from({ length: 9 }, (_, i) => TXT(`s${i + 1}.${SLOW}`, `v=spf1 include:s${i + 2}.${SLOW} -all`)),
];

interface JsonCheck {
  id: string;
  status: string;
  message: string;
  evidence: { name: string; type: string; value: string | null; status: string; detail?: string }[];
  spfLookups?: { rows: { term: string; depth: number; lookups: number; note: string | null }[] };
}
interface JsonReport {
  checks: JsonCheck[];
  queries: number;
  unanswered: number;
}

let server: DnsTestServer;
let slow: DnsTestServer;
let silent: DnsTestServer;

beforeAll(async () => {
  [server, slow, silent] = await Promise.all([
    startDnsServer({ records: RECORDS }),
    startDnsServer({ records: RECORDS, latencyMs: 250 }),
    startDnsServer({ silent: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), slow?.close(), silent?.close()]);
});

async function check(d: string, nameserver: string, extra: string[] = []) {
  const r = await runRaw(['check-mx', '--json', '--nameserver', nameserver, '--timeout', '2', ...extra, d], { timeoutMs: 30_000 });
  const report = JSON.parse(r.stdout.toString('utf8')) as JsonReport;
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { r, report, byId, stderr: r.stderr.toString('utf8') };
}

/** Questions the server got for names under `suffix`, of `type`. */
function asked(s: DnsTestServer, suffix: string, type?: string): number {
  return s.queries.filter((q) => q.transport === 'udp' && q.name.endsWith(suffix) && (type === undefined || q.type === type)).length;
}

describe('SPF tree size', () => {
  it(`an include chain deeper than ${SPF_MAX_DEPTH} levels: counted to the cap, over ${SPF_MAX_LOOKUPS} lookups, exit 5 (a check failed)`, async () => {
    server.reset();
    const { r, byId, stderr } = await check(DEEP, server.nameserver);
    expect(r.code).toBe(5);
    expect(stderr).toBe('');
    const c = byId['spf-lookups']!;
    expect(c.status).toBe('fail');
    // The root's 2 includes, spf.protection.outlook.com's 1, and one per level fetched.
    expect(c.message).toBe(
      `at least ${SPF_MAX_DEPTH + 3} DNS lookups, over the limit of ${SPF_MAX_LOOKUPS} (ndr follows at most ${SPF_MAX_RECORDS} SPF records, ${SPF_MAX_DEPTH} includes deep): receivers return a permanent error (RFC 7208 §4.6.4)`,
    );
    expect(c.spfLookups!.rows).toContainEqual(
      expect.objectContaining({
        term: `include:l${SPF_MAX_DEPTH + 1}.${DEEP}`,
        depth: SPF_MAX_DEPTH,
        lookups: 1,
        note: `nested more than ${SPF_MAX_DEPTH} includes deep; not followed`,
      }),
    );
    // Levels 1..10 fetched, none deeper.
    expect(asked(server, `.${DEEP}`, 'TXT') - 1).toBe(SPF_MAX_DEPTH);
    expect(byId['spf-eop']!.status).toBe('pass');
  });

  it(`a tree of more than ${SPF_MAX_RECORDS} SPF records: fetching stops at the cap, exit 5`, async () => {
    server.reset();
    const { r, byId } = await check(WIDE, server.nameserver);
    expect(r.code).toBe(5);
    const c = byId['spf-lookups']!;
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(
      new RegExp(
        `^at least \\d+ DNS lookups, over the limit of ${SPF_MAX_LOOKUPS} \\(ndr follows at most ${SPF_MAX_RECORDS} SPF records, ${SPF_MAX_DEPTH} includes deep\\): receivers return a permanent error`,
      ),
    );
    expect(c.spfLookups!.rows.map((row) => row.note)).toContain(`past ndr's cap of ${SPF_MAX_RECORDS} SPF records per tree; not followed`);
    // The root, _dmarc and at most SPF_MAX_RECORDS records below the root (spf.protection.outlook.com and spfd among them).
    const below = asked(server, `.${WIDE}`, 'TXT') - 1 + asked(server, '.protection.outlook.com', 'TXT');
    expect(below).toBeLessThanOrEqual(SPF_MAX_RECORDS);
    expect(below).toBeGreaterThanOrEqual(SPF_MAX_RECORDS - 2);
  });

  it(`a tree whose a: terms ask more than ${MAX_QUERIES} questions: the run stops asking at ${MAX_QUERIES}, exit 5`, async () => {
    server.reset();
    const { r, report, byId } = await check(QUERIES, server.nameserver);
    expect(r.code).toBe(5);
    expect(byId['spf-lookups']!.message).toMatch(
      new RegExp(
        `^at least \\d+ DNS lookups, over the limit of ${SPF_MAX_LOOKUPS} \\(ndr asks at most ${MAX_QUERIES} questions per check\\)`,
      ),
    );
    expect(report.queries).toBe(MAX_QUERIES);
    expect(server.counts.udp).toBeLessThanOrEqual(MAX_QUERIES);
  });
});

describe('CNAME chain length', () => {
  it(`${DEFAULT_MAX_CNAME_CHAIN} links are followed`, async () => {
    const { r, byId } = await check(CHAIN_OK, server.nameserver);
    expect(byId.dmarc!.status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it(`${DEFAULT_MAX_CNAME_CHAIN + 1} links are refused: the check could not be done (error), nothing failed, exit 0`, async () => {
    const { r, byId, stderr } = await check(CHAIN_LONG, server.nameserver);
    expect(byId.dmarc!.status).toBe('error');
    expect(byId.dmarc!.message).toMatch(
      new RegExp(
        `^could not look up TXT _dmarc\\.${CHAIN_LONG.replace(/\./g, '\\.')}: no answer: CNAME chain longer than ${DEFAULT_MAX_CNAME_CHAIN} links \\(127\\.0\\.0\\.1:\\d+\\)$`,
      ),
    );
    expect(r.code).toBe(0);
    expect(stderr).toBe('');
  });

  it('a CNAME loop is refused and named', async () => {
    const { r, byId } = await check(CHAIN_LOOP, server.nameserver);
    expect(byId.dmarc!.status).toBe('error');
    expect(byId.dmarc!.message).toContain(`CNAME loop: _dmarc.${CHAIN_LOOP} -> a.${CHAIN_LOOP} -> b.${CHAIN_LOOP} -> _dmarc.${CHAIN_LOOP}`);
    expect(r.code).toBe(0);
  });
});

describe('DNS answer size', () => {
  it(`an answer with more than ${DEFAULT_LIMITS.maxRecords} records is refused, not parsed`, async () => {
    server.reset();
    const { r, byId } = await check(MANY, server.nameserver);
    for (const id of ['mx-records', 'mx-count', 'mx-target', 'mx-resolves']) {
      expect(byId[id]!.status, id).toBe('error');
      expect(byId[id]!.message, id).toContain(`answer has ${DEFAULT_LIMITS.maxRecords + 50} records (limit ${DEFAULT_LIMITS.maxRecords})`);
    }
    expect(r.code).toBe(0);
    // Over TCP, after the truncated UDP answer; no MX host was asked.
    expect(server.counts.tcp).toBeGreaterThan(0);
    expect(asked(server, `.${MANY}`, 'A')).toBe(0);
  });

  it(`TXT records over ${DEFAULT_LIMITS.maxTxtBytes} bytes at one name are refused`, async () => {
    const { r, byId } = await check(BIGTXT, server.nameserver);
    for (const id of ['spf-record', 'spf-eop', 'spf-lookups', 'spf-all']) {
      expect(byId[id]!.status, id).toBe('error');
      expect(byId[id]!.message, id).toContain(`TXT records at ${BIGTXT} exceed ${DEFAULT_LIMITS.maxTxtBytes} bytes in total`);
    }
    expect(r.code).toBe(0);
  });
});

describe('total run time', () => {
  const line = (seconds: number, unanswered: number, queries: number) =>
    `ndr: stopped at the overall DNS deadline of ${seconds} s (--deadline): ${unanswered} of ${queries} lookups got no answer, so the results are incomplete\n`;

  it('a server that never answers, with a 30 s per-try timeout: the run ends at --deadline 1, exit 4, one line', async () => {
    const t0 = performance.now();
    const r = await runRaw(['check-mx', '--json', '--nameserver', silent.nameserver, '--timeout', '30', '--deadline', '1', `${DEEP}`], {
      timeoutMs: 30_000,
    });
    const ms = performance.now() - t0;
    expect(r.code).toBe(4);
    expect(r.stderr.toString()).toBe(line(1, 6, 6));
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(1000 + 4000);
    const report = JSON.parse(r.stdout.toString()) as JsonReport;
    expect(report.checks.every((c) => c.status === 'error' && c.message.includes('overall DNS deadline of 1000 ms reached'))).toBe(true);
    // Text mode: nothing answered, so the same one line on stderr says it all.
    const text = await runRaw(['check-mx', '--nameserver', silent.nameserver, '--timeout', '30', '--deadline', '0.5', `${DEEP}`], {
      timeoutMs: 30_000,
    });
    expect(text.code).toBe(4);
    expect(text.stderr.toString()).toBe(line(0.5, 6, 6));
    expect(text.stdout.toString()).toBe('');
  });

  it('explain --check stops at --deadline too, says so in the same line, and keeps its own exit code', async () => {
    const relay = `550 5.4.1 Relay Access Denied for ana@${DEEP}`;
    const r = await runRaw(
      ['explain', '--json', '--check', '--nameserver', silent.nameserver, '--timeout', '30', '--deadline', '0.5', relay],
      { timeoutMs: 30_000 },
    );
    expect(r.code).toBe(0);
    expect(r.stderr.toString()).toBe(line(0.5, 6, 6));
    const json = JSON.parse(r.stdout.toString()) as { checkReports: JsonReport[] };
    expect(json.checkReports).toHaveLength(1);
    expect(json.checkReports[0]!.checks.every((c) => c.status === 'error')).toBe(true);
  });

  it('a server that answers everything slowly: a deep tree is cut at the deadline with what was found, exit 4', async () => {
    const t0 = performance.now();
    const { r, report, byId, stderr } = await check(SLOW, slow.nameserver, ['--deadline', '1.2']);
    const ms = performance.now() - t0;
    expect(r.code).toBe(4);
    expect(stderr).toMatch(
      /^ndr: stopped at the overall DNS deadline of 1\.2 s \(--deadline\): [1-9]\d* of \d+ lookups got no answer, so the results are incomplete\n$/,
    );
    expect(ms).toBeLessThan(1200 + 4000);
    // Round 1 was answered; the SPF chain (a round of 250 ms per level) was not finished.
    expect(byId['mx-records']!.status).toBe('pass');
    expect(byId.dmarc!.status).toBe('pass');
    expect(byId['spf-lookups']!.status).toBe('error');
    expect(byId['spf-lookups']!.message).toContain('overall DNS deadline of 1200 ms reached');
    expect(report.unanswered).toBeGreaterThan(0);
  });

  it(`the default deadline is ${DEFAULT_DEADLINE_MS / 1000} s, and a bad --deadline is a usage error (exit 2)`, async () => {
    expect(DEFAULT_DEADLINE_MS).toBe(30_000);
    const help = await runRaw(['check-mx', '--help']);
    expect(help.stdout.toString()).toContain('--deadline <seconds>');
    for (const bad of ['0', 'soon', '-1', '4000']) {
      const r = await runRaw(['check-mx', '--deadline', bad, 'contoso.com']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.toString(), bad).toMatch(/^ndr: --deadline must be a number of seconds from 0\.001 to 3600/);
      expect(r.stdout.length).toBe(0);
    }
  });
});
