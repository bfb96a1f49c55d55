// The stub resolver against our fault-injecting server: real UDP/TCP sockets on 127.0.0.1, no mocks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsResolver, type DnsRecord, type LookupResult, type ResolverConfig } from '../../src/dns/index.js';
import { parseNameserver } from '../../src/dns/servers.js';
import { POISON } from '../helpers/dns-packets.js';
import { startDnsServer, type DnsTestServer, type Scenario, type TestRecord } from '../helpers/dns-server.js';

const A = (name: string, address: string): TestRecord => ({ name, type: 'A', ttl: 60, data: address });
const TXT = (name: string, ...strings: string[]): TestRecord => ({ name, type: 'TXT', ttl: 60, data: strings });
const CNAME = (name: string, target: string): TestRecord => ({ name, type: 'CNAME', ttl: 60, data: target });

/** Every faulty name also has real records, so a decoy taken by mistake shows up as POISON. */
const FAULTY: Record<string, Scenario> = {
  'tc.test': { reply: 'truncate' },
  'tc-no-tcp.test': { reply: 'truncate-no-tcp' },
  'wrong-id.test': { decoys: ['wrong-id'], delayMs: 30 },
  'wrong-question.test': { decoys: ['wrong-question'], delayMs: 30 },
  'other-port.test': { decoys: ['other-port'], delayMs: 30 },
  'not-response.test': { decoys: ['not-response'], delayMs: 30 },
  'only-wrong-id.test': { decoys: ['wrong-id'], reply: 'silent' },
  'only-wrong-question.test': { decoys: ['wrong-question'], reply: 'silent' },
  'only-not-response.test': { decoys: ['not-response'], reply: 'silent' },
  'only-other-port.test': { decoys: ['other-port'], reply: 'silent' },
  'junk-first.test': { decoys: ['garbage', 'pointer-loop', 'cut-short', 'wrong-id'], delayMs: 30 },
  'slow.test': { delayMs: 150 },
  'too-slow.test': { delayMs: 2000 },
  'silent.test': { reply: 'silent' },
  'servfail.test': { reply: 'servfail' },
  'refused.test': { reply: 'refused' },
  'nxdomain.test': { reply: 'nxdomain' },
  'garbage.test': { reply: 'garbage' },
  'pointer-loop.test': { reply: 'pointer-loop' },
  'cut-short.test': { reply: 'cut-short' },
  'no-edns.test': { reply: 'formerr-edns' },
};

const RECORDS: TestRecord[] = [
  A('ok.test', '192.0.2.1'),
  { name: 'ok.test', type: 'MX', ttl: 60, data: { preference: 10, exchange: 'MX1.ok.test.' } },
  TXT('ok.test', 'v=spf1 include:spf.protection.outlook.com', ' -all'),
  TXT('ok.test', 'MS=ms1'),
  ...Object.keys(FAULTY).map((name) => A(name, '192.0.2.1')),
  // more than 1232 bytes: truncated over UDP by the server itself
  ...Array.from({ length: 10 }, (_, i) => TXT('big.test', `${i}-${'x'.repeat(200)}`)),
  // over the client's caps
  ...Array.from({ length: 300 }, (_, i) => A('many.test', `10.0.${i >> 8}.${i & 255}`)),
  ...Array.from({ length: 150 }, (_, i) => TXT('huge-txt.test', `${i}-${'y'.repeat(245)}`)),
  // CNAME chains
  CNAME('c1.test', 'c2.test'),
  CNAME('c2.test', 'c3.test'),
  A('c3.test', '192.0.2.3'),
  CNAME('loop1.test', 'loop2.test'),
  CNAME('loop2.test', 'loop1.test'),
  ...Array.from({ length: 10 }, (_, i) => CNAME(`long${i}.test`, `long${i + 1}.test`)),
  A('long10.test', '192.0.2.10'),
  CNAME('dangling.test', 'gone.test'),
  // concurrency
  ...Array.from({ length: 200 }, (_, i) => A(`n${i}.test`, `10.1.${i >> 8}.${i & 255}`)),
];

let server: DnsTestServer;

beforeAll(async () => {
  server = await startDnsServer({ records: RECORDS, scenarios: FAULTY });
});
afterAll(async () => {
  await server?.close();
});

function resolverFor(servers: DnsTestServer[] | string[], config: Partial<ResolverConfig> = {}): DnsResolver {
  const list = servers.map((s) => parseNameserver(typeof s === 'string' ? s : s.nameserver));
  return new DnsResolver({ servers: list, timeoutMs: 400, attempts: 2, deadlineMs: 20_000, ...config });
}

const addresses = (r: LookupResult) =>
  r.records.filter((x): x is Extract<DnsRecord, { type: 'A' }> => x.type === 'A').map((x) => x.address);
const sent = (s: DnsTestServer, name: string, transport?: 'udp' | 'tcp') =>
  s.queries.filter((q) => q.name === name && (transport === undefined || q.transport === transport)).length;

describe('answers', () => {
  it('A, MX and TXT from the table, with the server that answered', async () => {
    const r = resolverFor([server]);
    const [a, mx, txt] = await Promise.all([r.lookup('ok.test', 'A'), r.lookup('OK.test.', 'MX'), r.lookup('ok.test', 'TXT')]);
    expect(a).toEqual({
      name: 'ok.test',
      type: 'A',
      status: 'ok',
      records: [{ type: 'A', name: 'ok.test', ttl: 60, address: '192.0.2.1' }],
      cnameChain: [],
      server: server.nameserver,
      message: null,
    });
    expect(mx.name).toBe('ok.test');
    expect(mx.records).toMatchObject([{ priority: 10, exchange: 'mx1.ok.test' }]);
    expect(txt.records.map((t) => (t.type === 'TXT' ? t.text : '')).sort()).toEqual([
      'MS=ms1',
      'v=spf1 include:spf.protection.outlook.com -all',
    ]);
  });

  it('sends EDNS0 with every first query', async () => {
    server.reset();
    await resolverFor([server]).lookup('ok.test', 'A');
    expect(server.queries).toMatchObject([{ transport: 'udp', edns: true }]);
  });
});

describe('truncation', () => {
  it('TC over UDP: retried over TCP and the TCP answer is used', async () => {
    const r = await resolverFor([server]).lookup('tc.test', 'A');
    expect(r.status).toBe('ok');
    expect(addresses(r)).toEqual(['192.0.2.1']);
    expect([sent(server, 'tc.test', 'udp'), sent(server, 'tc.test', 'tcp')]).toEqual([1, 1]);
  });

  it('a set larger than the EDNS size arrives whole over TCP', async () => {
    const r = await resolverFor([server]).lookup('big.test', 'TXT');
    expect(r.status).toBe('ok');
    expect(r.records).toHaveLength(10);
    expect(sent(server, 'big.test', 'tcp')).toBe(1);
  });

  it('TC and then no answer over TCP: a timeout that names the truncation', async () => {
    const r = await resolverFor([server], { timeoutMs: 200, attempts: 1 }).lookup('tc-no-tcp.test', 'A');
    expect(r.status).toBe('timeout');
    expect(r.message).toBe(`${server.nameserver}: answer truncated over UDP; no TCP answer within 200 ms`);
    expect([sent(server, 'tc-no-tcp.test', 'udp'), sent(server, 'tc-no-tcp.test', 'tcp')]).toEqual([1, 1]);
  });
});

describe('answers that must be ignored', () => {
  it.each(['wrong-id', 'wrong-question', 'other-port', 'not-response'])(
    '%s arriving first is ignored; the right answer is taken',
    async (kind) => {
      const r = await resolverFor([server]).lookup(`${kind}.test`, 'A');
      expect(r.status).toBe('ok');
      expect(addresses(r)).toEqual(['192.0.2.1']);
      expect(addresses(r)).not.toContain(POISON.A);
      expect(sent(server, `${kind}.test`)).toBe(1);
    },
  );

  it.each([
    ['wrong-id', 'wrong transaction id'],
    ['wrong-question', 'answer is for a different question'],
    ['not-response', 'QR bit not set'],
  ])('only %s arrives: seen, ignored, and the lookup times out', async (kind, reason) => {
    const r = await resolverFor([server], { timeoutMs: 200, attempts: 1 }).lookup(`only-${kind}.test`, 'A');
    expect(r.status).toBe('timeout');
    expect(r.message).toBe(`${server.nameserver}: no answer within 200 ms (ignored 1 mismatched answer: ${reason})`);
  });

  it('only an answer from another port: never taken', async () => {
    const r = await resolverFor([server], { timeoutMs: 200, attempts: 1 }).lookup('only-other-port.test', 'A');
    expect(r.status).toBe('timeout');
    expect(r.records).toEqual([]);
  });

  it('garbage, a pointer loop and a cut-short packet first: still the right answer', async () => {
    const r = await resolverFor([server]).lookup('junk-first.test', 'A');
    expect(r.status).toBe('ok');
    expect(addresses(r)).toEqual(['192.0.2.1']);
  });

  it.each(['garbage', 'pointer-loop', 'cut-short'])('only %s: no crash, an error with a reason after every try', async (kind) => {
    const r = await resolverFor([server]).lookup(`${kind}.test`, 'A');
    expect(r.status).toBe('error');
    expect(r.records).toEqual([]);
    expect(r.message).toMatch(/unusable answers/);
    expect(sent(server, `${kind}.test`)).toBe(2);
  });
});

describe('RCODEs and silence stay apart', () => {
  it.each([
    ['servfail.test', 'A', 'servfail'],
    ['refused.test', 'A', 'refused'],
    ['nxdomain.test', 'A', 'nxdomain'],
    ['no-such-name.test', 'A', 'nxdomain'],
    ['ok.test', 'AAAA', 'nodata'],
    ['silent.test', 'A', 'timeout'],
  ] as const)('%s %s -> %s', async (name, type, status) => {
    const r = await resolverFor([server]).lookup(name, type);
    expect(r.status).toBe(status);
    expect(r.records).toEqual([]);
  });

  it('SERVFAIL and REFUSED are retried (attempts), NXDOMAIN is final', async () => {
    server.reset();
    const r = resolverFor([server]);
    await Promise.all([r.lookup('servfail.test', 'A'), r.lookup('refused.test', 'A'), r.lookup('nxdomain.test', 'A')]);
    expect([sent(server, 'servfail.test'), sent(server, 'refused.test'), sent(server, 'nxdomain.test')]).toEqual([2, 2, 1]);
  });

  it('silence: timeout after every attempt, with a message', async () => {
    server.reset();
    const r = await resolverFor([server], { timeoutMs: 200, attempts: 3 }).lookup('silent.test', 'A');
    expect(r.status).toBe('timeout');
    expect(r.message).toBe(`${server.nameserver}: no answer within 200 ms (3 tries)`);
    expect(sent(server, 'silent.test')).toBe(3);
  });

  it('a slow answer inside the timeout is taken; one beyond it is a timeout', async () => {
    const r = resolverFor([server], { timeoutMs: 600, attempts: 1 });
    expect((await r.lookup('slow.test', 'A')).status).toBe('ok');
    expect((await r.lookup('too-slow.test', 'A')).status).toBe('timeout');
  });

  it('nothing listening: an error at once, not a wait', async () => {
    const gone = await startDnsServer();
    const nameserver = gone.nameserver;
    await gone.close();
    const r = await resolverFor([nameserver], { timeoutMs: 5000 }).lookup('ok.test', 'A');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/refused/);
  });

  it('FORMERR to EDNS: asked again without EDNS', async () => {
    server.reset();
    const r = await resolverFor([server]).lookup('no-edns.test', 'A');
    expect(r.status).toBe('ok');
    expect(server.queries.map((q) => q.edns)).toEqual([true, false]);
  });
});

describe('several servers', () => {
  it('the second server answers when the first is silent', async () => {
    const silent = await startDnsServer({ silent: true });
    try {
      const r = await resolverFor([silent, server]).lookup('ok.test', 'A');
      expect(r.status).toBe('ok');
      expect(r.server).toBe(server.nameserver);
      expect(silent.counts).toEqual({ udp: 1, tcp: 0 });
    } finally {
      await silent.close();
    }
  });

  it('the second server answers when the first says SERVFAIL', async () => {
    const failing = await startDnsServer({ scenarios: { 'ok.test': { reply: 'servfail' } } });
    try {
      const r = await resolverFor([failing, server]).lookup('ok.test', 'A');
      expect([r.status, r.server]).toEqual(['ok', server.nameserver]);
    } finally {
      await failing.close();
    }
  });

  it('all fail: the telling status, and what each server did', async () => {
    const silent = await startDnsServer({ silent: true });
    try {
      const r = await resolverFor([server, silent], { timeoutMs: 200, attempts: 1 }).lookup('servfail.test', 'A');
      expect(r.status).toBe('servfail');
      expect(r.message).toBe(`${server.nameserver}: SERVFAIL; ${silent.nameserver}: no answer within 200 ms`);
    } finally {
      await silent.close();
    }
  });

  it('rotate starts each lookup at the next server', async () => {
    const other = await startDnsServer({ records: RECORDS });
    try {
      server.reset();
      const r = resolverFor([server, other], { rotate: true });
      await r.lookup('ok.test', 'A');
      await r.lookup('ok.test', 'A');
      expect([server.counts.udp, other.counts.udp]).toEqual([1, 1]);
    } finally {
      await other.close();
    }
  });
});

describe('caps', () => {
  it('more than 200 records is an error', async () => {
    const r = await resolverFor([server]).lookup('many.test', 'A');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/300 records \(limit 200\)/);
  });

  it('a TXT set over the byte cap is an error', async () => {
    const r = await resolverFor([server]).lookup('huge-txt.test', 'TXT');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/TXT records .* exceed/);
  });
});

describe('CNAME', () => {
  it('a chain is followed to the records', async () => {
    const r = await resolverFor([server]).lookup('c1.test', 'A');
    expect(r).toMatchObject({ status: 'ok', cnameChain: ['c2.test', 'c3.test'] });
    expect(r.records).toMatchObject([{ name: 'c3.test', address: '192.0.2.3' }]);
  });

  it('a loop is an error, not a hang', async () => {
    const r = await resolverFor([server]).lookup('loop1.test', 'A');
    expect(r.status).toBe('error');
    expect(r.message).toBe('CNAME loop: loop1.test -> loop2.test -> loop1.test');
  });

  it('a chain longer than the cap is an error', async () => {
    const r = await resolverFor([server]).lookup('long0.test', 'A');
    expect(r.status).toBe('error');
    expect(r.message).toBe('CNAME chain longer than 8 links');
    expect((await resolverFor([server], { maxCnameChain: 10 }).lookup('long0.test', 'A')).status).toBe('ok');
  });

  it('a dangling alias is NXDOMAIN for the target (RFC 6604)', async () => {
    const r = await resolverFor([server]).lookup('dangling.test', 'A');
    expect(r).toMatchObject({ status: 'nxdomain', cnameChain: ['gone.test'] });
  });
});

describe('concurrency, deadline and clean-up', () => {
  it('200 lookups in flight at once all complete', { timeout: 10_000 }, async () => {
    // Each answer takes 200 ms; one after another would need 40 s.
    const slow = await startDnsServer({ records: RECORDS, latencyMs: 200 });
    try {
      const r = resolverFor([slow], { timeoutMs: 3000 });
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => r.lookup(`n${i}.test`, 'A')));
      expect(results.every((x) => x.status === 'ok')).toBe(true);
      expect(results.map((x) => addresses(x)[0])).toEqual(Array.from({ length: 200 }, (_, i) => `10.1.${i >> 8}.${i & 255}`));
    } finally {
      await slow.close();
    }
  });

  it('the overall deadline ends waiting lookups and every later one', async () => {
    const r = resolverFor([server], { timeoutMs: 5000, deadlineMs: 300 });
    const [first, second] = await Promise.all([r.lookup('silent.test', 'A'), r.lookup('silent.test', 'MX')]);
    for (const x of [first, second]) {
      expect(x.status).toBe('timeout');
      expect(x.message).toBe('overall DNS deadline of 300 ms reached');
    }
    expect((await r.lookup('ok.test', 'A')).status).toBe('timeout');
  });

  it('an abort signal cancels lookups in flight', async () => {
    const controller = new AbortController();
    const r = resolverFor([server], { timeoutMs: 5000, signal: controller.signal });
    const pending = r.lookup('silent.test', 'A');
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ status: 'timeout', message: 'DNS lookups cancelled' });
  });

  it('an invalid name is an error without a query', async () => {
    server.reset();
    const r = resolverFor([server]);
    const results = await Promise.all(['', 'a..b.test', `${'x'.repeat(64)}.test`, 'sp ace.test'].map((n) => r.lookup(n, 'A')));
    expect(results.map((x) => x.status)).toEqual(['error', 'error', 'error', 'error']);
    expect(server.counts).toEqual({ udp: 0, tcp: 0 });
  });

  it('no socket is left open after every kind of outcome', async () => {
    // Only the shared test server is left: its UDP socket and its spoofing socket.
    const baseline = 2;
    const open = () => process.getActiveResourcesInfo().filter((x) => x === 'UDPWrap' || x === 'TCPSocketWrap').length;
    const settled = async () => {
      // Closed handles leave the list a moment after close().
      for (let i = 0; i < 50 && open() !== baseline; i++) await new Promise((done) => setTimeout(done, 20));
      return open();
    };
    expect(await settled()).toBe(baseline);
    const r = resolverFor([server], { timeoutMs: 200, attempts: 1 });
    const names = [
      'ok.test',
      'tc.test',
      'tc-no-tcp.test',
      'silent.test',
      'garbage.test',
      'wrong-id.test',
      'other-port.test',
      'servfail.test',
      'big.test',
      'many.test',
    ];
    await Promise.all(names.map((n) => r.lookup(n, 'A')));
    expect(await settled()).toBe(baseline);
  });
});

describe('the relay (for benchmarks)', () => {
  it('forwards over UDP and TCP to another server, adding latency', async () => {
    const relay = await startDnsServer({ relay: { address: server.address, port: server.port }, latencyMs: 20 });
    try {
      const r = resolverFor([relay]);
      expect(addresses(await r.lookup('ok.test', 'A'))).toEqual(['192.0.2.1']);
      expect((await r.lookup('big.test', 'TXT')).records).toHaveLength(10);
      expect(relay.counts).toEqual({ udp: 2, tcp: 1 });
    } finally {
      await relay.close();
    }
  });
});
