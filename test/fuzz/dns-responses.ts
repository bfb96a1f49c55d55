/**
 * Valid DNS responses as fast-check arbitraries, and the mutations the DNS
 * fuzz tests (dns.test.ts) apply to them: bit flips, truncation, duplicated
 * and garbled sections, huge counts, compression pointers, inserted bytes.
 */
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import type { RecordType } from '../../src/dns/types.js';

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/);
/** Names that make CNAME chains and loops likely: the question, c0..c11 and random ones. */
const POOL = ['fuzz.example', ...Array.from({ length: 12 }, (_, i) => `c${i}.fuzz.example`)];
const anyName = fc.oneof(
  { weight: 3, arbitrary: fc.constant(POOL[0]!) },
  { weight: 3, arbitrary: fc.constantFrom(...POOL.slice(1)) },
  { weight: 1, arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('.')}.example`) },
  { weight: 1, arbitrary: fc.constant('.') },
);
/** TXT character-strings: text, SPF and DMARC, terminal escapes, and raw bytes (not UTF-8). */
const txtString = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => Buffer.from(s)),
  fc
    .constantFrom('v=spf1 include:spf.protection.outlook.com -all', 'v=DMARC1; p=reject', '\u001b]52;c;ZXZpbA==\u0007')
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 80 }).map((u) => Buffer.from(u)),
);

const answerData: Record<string, fc.Arbitrary<unknown>> = {
  A: fc.ipV4(),
  AAAA: fc.ipV6(),
  MX: fc.record({ preference: fc.integer({ min: 0, max: 65535 }), exchange: anyName }),
  TXT: fc.array(
    txtString.map((b) => b.subarray(0, 255)),
    { minLength: 1, maxLength: 4 },
  ),
  CNAME: anyName,
  NS: anyName,
  PTR: anyName,
  SOA: fc.record({
    mname: anyName,
    rname: anyName,
    serial: fc.nat(),
    refresh: fc.nat(),
    retry: fc.nat(),
    expire: fc.nat(),
    minimum: fc.nat(),
  }),
  SRV: fc.record({ priority: fc.nat(65535), weight: fc.nat(65535), port: fc.nat(65535), target: anyName }),
};
/** A record, most often of the type asked or a CNAME, so that answers reach the record and chain paths. */
function answerFor(asked: RecordType): fc.Arbitrary<dnsPacket.Answer> {
  const type = fc.oneof(
    { weight: 3, arbitrary: fc.constant(asked) },
    { weight: 2, arbitrary: fc.constant('CNAME') },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(answerData)) },
  );
  return type.chain((t) =>
    fc.record({ name: anyName, type: fc.constant(t), ttl: fc.nat(), class: fc.constantFrom('IN', 'IN', 'IN', 'CH'), data: answerData[t]! }),
  ) as fc.Arbitrary<dnsPacket.Answer>;
}

export interface Template {
  rcode: number;
  flags: number;
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
  /** Echo the question with another case, as servers may (RFC 4343). */
  upper: boolean;
  edns: boolean;
}

/** A CNAME chain of 1 to 11 links from the question's name through c1, c2 …, ending at a record or looping back. */
function chainFor(asked: RecordType): fc.Arbitrary<dnsPacket.Answer[]> {
  return fc
    .tuple(fc.integer({ min: 1, max: POOL.length - 1 }), fc.option(fc.nat(POOL.length - 1)), answerData[asked]!)
    .map(([links, loopTo, data]) => {
      const names = POOL.slice(0, links + 1);
      const cnames = names.slice(0, -1).map((name, i): dnsPacket.Answer => ({ name, type: 'CNAME', ttl: 60, data: names[i + 1]! }));
      const last = names[links]!;
      const end =
        loopTo === null
          ? { name: last, type: asked, ttl: 60, data }
          : { name: last, type: 'CNAME', ttl: 60, data: names[loopTo % (links + 1)]! };
      return [...cnames, end as dnsPacket.Answer];
    });
}

export const templateFor = (asked: RecordType): fc.Arbitrary<Template> =>
  fc.record({
    rcode: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 5) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
    ),
    flags: fc
      .subarray([dnsPacket.AUTHORITATIVE_ANSWER, dnsPacket.TRUNCATED_RESPONSE, dnsPacket.RECURSION_DESIRED, dnsPacket.RECURSION_AVAILABLE])
      .map((fs) => fs.reduce((a, b) => a | b, 0)),
    answers: fc.oneof({ weight: 3, arbitrary: fc.array(answerFor(asked), { maxLength: 12 }) }, { weight: 1, arbitrary: chainFor(asked) }),
    authorities: fc.array(answerFor(asked), { maxLength: 2 }),
    upper: fc.boolean(),
    edns: fc.boolean(),
  });

/** The answer `t` describes, to the question (id, name, type) asked. */
export function encodeResponse(
  t: Template,
  id: number,
  question: dnsPacket.Question,
  truncated = (t.flags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
): Buffer {
  const name = t.upper ? question.name.toUpperCase() : question.name;
  const flags = (t.flags & ~dnsPacket.TRUNCATED_RESPONSE) | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0);
  // Answers named "fuzz.example" stand for the question's own name.
  const own = (a: dnsPacket.Answer) => (a.name === 'fuzz.example' ? { ...a, name: question.name } : a);
  const bytes = dnsPacket.encode({
    type: 'response',
    id,
    flags,
    questions: [{ ...question, name }],
    answers: t.answers.map(own),
    authorities: t.authorities,
    additionals: t.edns
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [],
  });
  bytes.writeUInt16BE((bytes.readUInt16BE(2) & 0xfff0) | t.rcode, 2);
  return bytes;
}

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; from: number; length: number; to: number }
  | { op: 'garble'; at: number; bytes: Uint8Array }
  | { op: 'count'; section: number; value: number }
  | { op: 'pointer'; at: number; target: 'self' | 'forward' | 'header' | number }
  | { op: 'insert'; at: number; bytes: Uint8Array };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), from: fc.nat(), length: fc.integer({ min: 1, max: 200 }), to: fc.nat() }),
  fc.record({ op: fc.constant('garble' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({
    op: fc.constant('count' as const),
    section: fc.nat(3),
    value: fc.oneof(fc.constant(0xffff), fc.constant(0), fc.integer({ min: 0, max: 0xffff })),
  }),
  fc.record({
    op: fc.constant('pointer' as const),
    at: fc.nat(),
    target: fc.oneof(fc.constantFrom('self' as const, 'forward' as const, 'header' as const), fc.nat(0x3fff)),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
);

/** Applies the mutations in order; positions are taken modulo the current length, the 12-byte header included. */
export function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of mutations) {
    const len = b.length;
    switch (m.op) {
      case 'flip':
        if (len > 0) b[m.at % len]! ^= 1 << m.bit;
        break;
      case 'truncate':
        b = b.subarray(0, m.at % (len + 1));
        break;
      case 'duplicate': {
        if (len === 0) break;
        const from = m.from % len;
        const slice = b.subarray(from, Math.min(len, from + m.length));
        const to = m.to % (len + 1);
        b = Buffer.concat([b.subarray(0, to), slice, b.subarray(to)]);
        break;
      }
      case 'garble': {
        if (len === 0) break;
        const at = m.at % len;
        b = Buffer.from(b);
        Buffer.from(m.bytes).copy(b, at, 0, Math.min(m.bytes.length, len - at));
        break;
      }
      case 'count':
        if (len >= 12) b.writeUInt16BE(m.value, 4 + 2 * m.section);
        break;
      case 'pointer': {
        if (len < 2) break;
        const at = m.at % (len - 1);
        const target = m.target === 'self' ? at : m.target === 'forward' ? Math.min(0x3fff, at + 2) : m.target === 'header' ? 0 : m.target;
        b.writeUInt16BE(0xc000 | (target & 0x3fff), at);
        break;
      }
      case 'insert': {
        const at = m.at % (len + 1);
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
        break;
      }
    }
  }
  return b;
}
