/**
 * The DNS client on hostile answers. (a) The response decoder: checkResponse
 * and extractRecords (src/dns/message.ts) on random bytes and on mutated
 * valid responses (bit flips, truncation, duplicated and garbled sections,
 * huge counts, compression pointers to themselves or forward) return a
 * verdict and never throw. (b) The resolver end to end over real UDP and TCP
 * sockets on 127.0.0.1: our fault server answers every query with random or
 * mutated bytes (and broken TCP framing), and every lookup settles to a
 * well-formed LookupResult within its time budget, with no unhandled rejection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse, DEFAULT_LIMITS, extractRecords, type Question } from '../../src/dns/message.js';
import { DEFAULT_MAX_CNAME_CHAIN, DnsResolver } from '../../src/dns/resolver.js';
import { parseNameserver } from '../../src/dns/servers.js';
import type { LookupStatus, RecordType } from '../../src/dns/types.js';
import { ROOT } from '../helpers/cli.js';
import { tcpFrame } from '../helpers/dns-packets.js';
import { startDnsServer, type DnsTestServer, type RawQuery, type RawReply } from '../helpers/dns-server.js';
import { encodeResponse, mutate, mutation, templateFor, type Mutation, type Template } from './dns-responses.js';
import { fuzzParams, fuzzTimeout } from './settings.js';

const TYPES: RecordType[] = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA', 'PTR'];
const STATUSES: LookupStatus[] = ['ok', 'nxdomain', 'nodata', 'servfail', 'refused', 'timeout', 'error'];
const EXTRACTED = ['records', 'alias', 'none', 'invalid'];

const question = fc.record({ id: fc.integer({ min: 0, max: 0xffff }), type: fc.constantFrom(...TYPES) });

/** A header that passes the first checks (right id, QR set), then random bytes. */
function withHeader(id: number, rest: Uint8Array, counts: number[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8180, 2);
  counts.forEach((c, i) => header.writeUInt16BE(c, 4 + 2 * i));
  return Buffer.concat([header, Buffer.from(rest)]);
}

/** Bytes to decode for the question `q`: random, random behind a plausible header, or a valid answer mutated. */
function packetFor(q: Question): fc.Arbitrary<Buffer> {
  const asked = { name: q.name, type: q.type, class: 'IN' as const };
  return fc.oneof(
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((u) => Buffer.from(u)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.uint8Array({ maxLength: 600 }),
          fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(0xffff)), { minLength: 4, maxLength: 4 }),
        )
        .map(([rest, counts]) => withHeader(q.id, rest, counts)),
    },
    { weight: 2, arbitrary: templateFor(q.type).map((t) => encodeResponse(t, q.id, asked)) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(templateFor(q.type), fc.array(mutation, { minLength: 1, maxLength: 4 }))
        .map(([t, ms]) => mutate(encodeResponse(t, q.id, asked), ms)),
    },
  );
}

/** What the decoder promises about any verdict it returns. */
function expectWellFormedVerdict(bytes: Buffer, q: Question): void {
  const checked = checkResponse(bytes, q);
  if (!checked.ok) {
    expect(typeof checked.reason).toBe('string');
    expect(typeof checked.undecodable).toBe('boolean');
    return;
  }
  const { response } = checked;
  expect(typeof response.rcode).toBe('string');
  expect(typeof response.truncated).toBe('boolean');
  expect(Array.isArray(response.answers)).toBe(true);
  const extracted = extractRecords(response.answers, q.name, q.type, [q.name], DEFAULT_MAX_CNAME_CHAIN, DEFAULT_LIMITS);
  expect(EXTRACTED).toContain(extracted.kind);
  expect(extracted.chain.length).toBeLessThanOrEqual(DEFAULT_MAX_CNAME_CHAIN + 1);
  for (const target of extracted.chain) expect(typeof target).toBe('string');
  if (extracted.kind === 'invalid') expect(typeof extracted.message).toBe('string');
  if (extracted.kind === 'records') {
    expect(extracted.records.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRecords);
    for (const r of extracted.records) {
      expect(r.type).toBe(q.type);
      expect(typeof r.name).toBe('string');
      expect(Number.isInteger(r.ttl)).toBe(true);
      if (r.type === 'TXT') expect(r.text).toBe(r.strings.join(''));
      if (r.type === 'MX') expect(typeof r.exchange).toBe('string');
    }
  }
}

describe('the DNS response decoder (property)', () => {
  it(
    'checkResponse and extractRecords return a verdict for random and mutated answers, and never throw',
    () => {
      fc.assert(
        fc.property(
          question.chain((q0) => {
            const q: Question = { id: q0.id, name: 'fuzz.example', type: q0.type };
            return fc.tuple(fc.constant(q), packetFor(q));
          }),
          ([q, bytes]) => {
            const t0 = performance.now();
            expectWellFormedVerdict(bytes, q);
            expect(performance.now() - t0).toBeLessThan(1000);
          },
        ),
        fuzzParams(400),
      );
    },
    fuzzTimeout(400, 5),
  );

  it('huge counts, self and forward pointers, and cut records are refused, not decoded', () => {
    const q: Question = { id: 0x1234, name: 'fuzz.example', type: 'A' };
    const asked = { name: q.name, type: 'A' as const, class: 'IN' as const };
    const valid = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: 0,
      questions: [asked],
      answers: [{ name: q.name, type: 'A', ttl: 60, data: '192.0.2.1' }],
    });
    expect(checkResponse(valid, q).ok).toBe(true);
    // ANCOUNT 65535 with one record present.
    const counted = Buffer.from(valid);
    counted.writeUInt16BE(0xffff, 6);
    expect(checkResponse(counted, q)).toMatchObject({ ok: false, undecodable: true });
    // The answer's owner name is a pointer to itself, then one pointing forward.
    const at = 12 + 'fuzz.example'.length + 2 + 4;
    for (const target of [at, at + 2]) {
      const looped = Buffer.from(valid);
      looped.writeUInt16BE(0xc000 | target, at);
      expect(checkResponse(looped, q)).toMatchObject({ ok: false, undecodable: true });
    }
    // Cut inside the rdata.
    expect(checkResponse(valid.subarray(0, valid.length - 2), q)).toMatchObject({ ok: false, undecodable: true });
  });

  it('a count of 65535 records in 344 bytes is refused at once (regression: dns-packet decoded it as 65535 NaN records, 0.2-1 s of CPU per packet)', () => {
    // Found by the property above at case 67,323 of a 100,000-case run (seed 20261122).
    const bytes = readFileSync(join(ROOT, 'test/fixtures/dns/counts-past-end.bin'));
    const q: Question = { id: bytes.readUInt16BE(0), name: 'fuzz.example', type: 'TXT' };
    const t0 = performance.now();
    expect(checkResponse(bytes, q)).toEqual({
      ok: false,
      reason: 'undecodable answer (its counts claim more records than it holds)',
      undecodable: true,
    });
    expect(performance.now() - t0).toBeLessThan(20);
  });
});

// ---- end to end through the resolver ----------------------------------------

/** What the fault server does with each query of one case. */
interface Plan {
  udp: 'mutated' | 'random' | 'valid' | 'truncated' | 'silent';
  tcp: 'mutated' | 'unframed' | 'short-frame' | 'split' | 'silent' | 'close';
  template: Template;
  mutations: Mutation[];
  random: Uint8Array;
  /** Junk datagrams sent before the answer. */
  junk: Uint8Array[];
}

const planFor = (type: RecordType): fc.Arbitrary<Plan> =>
  fc.record({
    udp: fc.constantFrom('mutated', 'mutated', 'mutated', 'random', 'valid', 'truncated', 'silent'),
    tcp: fc.constantFrom('mutated', 'mutated', 'unframed', 'short-frame', 'split', 'silent', 'close'),
    template: templateFor(type),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
    random: fc.uint8Array({ maxLength: 300 }),
    junk: fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 2 }),
  });

function respond(p: Plan, q: RawQuery, transport: 'udp' | 'tcp'): RawReply {
  const mutated = () => mutate(encodeResponse(p.template, q.id, q.question, false), p.mutations);
  if (transport === 'udp') {
    const junk = p.junk.map((j) => Buffer.from(j));
    switch (p.udp) {
      case 'silent':
        return { send: junk };
      case 'random':
        return { send: [...junk, withHeader(q.id, p.random, [1, 1, 0, 0])] };
      case 'valid':
        return { send: [...junk, encodeResponse(p.template, q.id, q.question)] };
      case 'truncated':
        return { send: [...junk, encodeResponse({ ...p.template, answers: [] }, q.id, q.question, true)] };
      case 'mutated':
        return { send: [...junk, mutated()] };
    }
  }
  switch (p.tcp) {
    case 'silent':
      return { send: [] };
    case 'close':
      return { send: [], end: true };
    case 'mutated':
      return { send: [tcpFrame(mutated())] };
    case 'unframed':
      return { send: [mutated()], end: true };
    case 'short-frame': {
      // The frame claims more bytes than follow, then the connection ends.
      const frame = tcpFrame(mutated());
      frame.writeUInt16BE(Math.min(0xffff, frame.length + 100), 0);
      return { send: [frame], end: true };
    }
    case 'split': {
      const frame = tcpFrame(mutated());
      const cut = Math.max(1, frame.length >> 1);
      return { send: [frame.subarray(0, cut), frame.subarray(cut)] };
    }
  }
}

const TRY_TIMEOUT_MS = 10;
const DEADLINE_MS = 300;
/** Timers on a loaded machine slip; a hang would take far longer than this. */
const SETTLE_MARGIN_MS = 1500;

let server: DnsTestServer;
let current: Plan | null = null;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};

describe('the resolver on hostile answers over UDP and TCP (property)', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startDnsServer({
      raw: (q, transport) => (current ? respond(current, q, transport) : { send: [] }),
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.close();
  });
  afterEach(() => {
    expect(unhandled).toEqual([]);
  });

  it(
    'every lookup settles to a well-formed result within its budget, and nothing is left unhandled',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...TYPES).chain((type) => fc.tuple(fc.constant(type), planFor(type))),
          fc.integer({ min: 1, max: 2 }),
          async ([type, p], attempts) => {
            current = p;
            server.reset();
            const resolver = new DnsResolver({
              servers: [parseNameserver(server.nameserver)],
              timeoutMs: TRY_TIMEOUT_MS,
              attempts,
              deadlineMs: DEADLINE_MS,
            });
            const t0 = performance.now();
            const result = await resolver.lookup('fuzz.example', type);
            const elapsed = performance.now() - t0;
            resolver.abort('case over');
            expect(elapsed).toBeLessThan(DEADLINE_MS + SETTLE_MARGIN_MS);
            expect(STATUSES).toContain(result.status);
            expect(result.type).toBe(type);
            expect(result.name).toBe('fuzz.example');
            expect(Array.isArray(result.cnameChain)).toBe(true);
            expect(result.cnameChain.length).toBeLessThanOrEqual(DEFAULT_MAX_CNAME_CHAIN + 1);
            for (const r of result.records) expect(r.type).toBe(type);
            if (result.status !== 'ok') expect(result.records).toEqual([]);
            if (['servfail', 'refused', 'timeout', 'error'].includes(result.status)) expect(typeof result.message).toBe('string');
            // Let late datagrams and TCP closes of this case land before the next one.
            await new Promise((r) => setImmediate(r));
            expect(unhandled).toEqual([]);
          },
        ),
        fuzzParams(60),
      );
    },
    fuzzTimeout(60, 500),
  );
});
