import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { DnsRecord, RecordType } from './types.js';
import { encodeLabels, parseLabels, readName } from './wire-name.js';

/** DNS Flag Day 2020: the EDNS buffer size that avoids IP fragmentation. */
export const EDNS_UDP_PAYLOAD = 1232;

/** The question we sent, to match answers against (RFC 5452 §9.1). */
export interface Question {
  id: number;
  /** Lower-case, no trailing dot. */
  name: string;
  type: RecordType;
}

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | `RCODE${number}`;

const RCODES: Record<number, Rcode> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/** A response that passed every matching rule. */
export interface Response {
  rcode: Rcode;
  truncated: boolean;
  answers: dnsPacket.Answer[];
}

export type Checked = { ok: true; response: Response } | { ok: false; reason: string; undecodable: boolean };

/** A query with a fresh random id (RFC 5452 §4.3), RD set, and an EDNS0 OPT record unless `edns` is false. */
export function buildQuery(name: string, type: RecordType, edns: boolean): { question: Question; bytes: Buffer } {
  const id = randomInt(0, 65536);
  // dns-packet splits names at every dot; the question name goes on the wire
  // from its own labels instead (wire-name.ts), so a label may hold a dot.
  const parsed = parseLabels(name);
  if ('problem' in parsed) throw new Error(`query name ${name}: ${parsed.problem}`);
  const packet = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name: 'q', class: 'IN' }],
    additionals: edns
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: EDNS_UDP_PAYLOAD,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ]
      : [],
  });
  // The header (12 bytes), then "q" as one label (3 bytes), then the rest.
  const bytes = Buffer.concat([packet.subarray(0, 12), encodeLabels(parsed.labels), packet.subarray(15)]);
  return { question: { id, name, type }, bytes };
}

/** RFC 1035 §4.1.2-4.1.3: the smallest question (root name, type, class) and resource record (root name, type, class, TTL, RDLENGTH). */
const MIN_QUESTION_BYTES = 5;
const MIN_RECORD_BYTES = 11;

/**
 * Whether the header's section counts fit in the packet at all. dns-packet
 * decodes a count of 65535 records from a few hundred bytes without an error
 * (reading past the end yields NaN, not an exception) and takes a fifth of a
 * second of CPU per such packet; found by fuzzing.
 */
function countsFit(bytes: Buffer): boolean {
  const questions = bytes.readUInt16BE(4);
  const records = bytes.readUInt16BE(6) + bytes.readUInt16BE(8) + bytes.readUInt16BE(10);
  return 12 + questions * MIN_QUESTION_BYTES + records * MIN_RECORD_BYTES <= bytes.length;
}

/**
 * Decides whether `bytes` is the answer to `question`: same id, QR set, one
 * question with the same name (case-insensitive), type and class IN, and
 * fully decodable. Anything else is ignored by the caller, never taken as
 * the answer. (The sender's address and port are checked by the transport.)
 */
export function checkResponse(bytes: Buffer, question: Question): Checked {
  if (bytes.length < 12) return { ok: false, reason: `short packet (${bytes.length} bytes)`, undecodable: true };
  if (bytes.readUInt16BE(0) !== question.id) return { ok: false, reason: 'wrong transaction id', undecodable: false };
  const flags = bytes.readUInt16BE(2);
  if ((flags & 0x8000) === 0) return { ok: false, reason: 'QR bit not set', undecodable: false };
  const rcode = RCODES[flags & 0x0f] ?? (`RCODE${flags & 0x0f}` as Rcode);
  if (!countsFit(bytes))
    return { ok: false, reason: 'undecodable answer (its counts claim more records than it holds)', undecodable: true };
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(bytes);
  } catch (err) {
    return { ok: false, reason: `undecodable answer (${err instanceof Error ? err.message : String(err)})`, undecodable: true };
  }
  // dns-packet reads some rdata past the end without throwing; a message
  // that claims more bytes than arrived is truncated garbage (and NaN means it read nothing real).
  if (!(dnsPacket.decode.bytes <= bytes.length))
    return { ok: false, reason: 'answer shorter than its own record lengths', undecodable: true };
  const questions = packet.questions ?? [];
  // RFC 6891 §7: a server that does not understand EDNS may answer FORMERR without echoing the question.
  if (questions.length === 0 && rcode === 'FORMERR') return { ok: true, response: { rcode, truncated: false, answers: [] } };
  const q = questions[0];
  if (questions.length !== 1 || q === undefined)
    return { ok: false, reason: `answer has ${questions.length} questions`, undecodable: false };
  const names = wireNames(bytes);
  if (names === null) return { ok: false, reason: 'undecodable answer (a name breaks the rules of RFC 1035 §4.1.4)', undecodable: true };
  if (names.question.toLowerCase() !== question.name || q.type !== question.type || (q.class ?? 'IN') !== 'IN') {
    return { ok: false, reason: 'answer is for a different question', undecodable: false };
  }
  const truncated = (flags & dnsPacket.TRUNCATED_RESPONSE) !== 0;
  return { ok: true, response: { rcode, truncated, answers: withWireNames(packet.answers ?? [], names.answers) } };
}

interface WireNames {
  question: string;
  /** Per answer record: its owner name and the names in its data, in presentation form. */
  answers: { owner: string; data: string[] }[];
}

const NAME_DATA: Record<number, (msg: Buffer, at: number) => string[] | null> = {
  2: (m, at) => one(m, at), // NS
  5: (m, at) => one(m, at), // CNAME
  12: (m, at) => one(m, at), // PTR
  15: (m, at) => one(m, at + 2), // MX: preference, exchange
  6: (m, at) => {
    // SOA: mname, rname, ...
    const mname = readName(m, at);
    const rname = mname && readName(m, mname.end);
    return mname && rname ? [mname.name, rname.name] : null;
  },
};

function one(msg: Buffer, at: number): string[] | null {
  const n = readName(msg, at);
  return n ? [n.name] : null;
}

/**
 * The names of the question and the answer section read from the message
 * itself, label by label (wire-name.ts), where dns-packet's would lose a dot
 * inside a label. Null when a name cannot be read.
 */
function wireNames(msg: Buffer): WireNames | null {
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let at = 12;
  let question = '';
  for (let i = 0; i < qd; i++) {
    const n = readName(msg, at);
    if (!n) return null;
    if (i === 0) question = n.name;
    at = n.end + 4;
  }
  const answers: WireNames['answers'] = [];
  for (let i = 0; i < an; i++) {
    const owner = readName(msg, at);
    if (!owner || owner.end + 10 > msg.length) return null;
    const type = msg.readUInt16BE(owner.end);
    const rdlength = msg.readUInt16BE(owner.end + 8);
    const rdata = owner.end + 10;
    const read = NAME_DATA[type];
    const data = read ? read(msg, rdata) : [];
    if (data === null) return null;
    answers.push({ owner: owner.name, data });
    at = rdata + rdlength;
  }
  return { question, answers };
}

/** dns-packet's answers with the names put back as they were on the wire. */
function withWireNames(answers: dnsPacket.Answer[], names: WireNames['answers']): dnsPacket.Answer[] {
  return answers.map((a, i) => {
    const n = names[i];
    if (!n || a.type === 'OPT') return a;
    const named = { ...a, name: n.owner } as dnsPacket.Answer;
    if (a.type === 'MX' && n.data[0] !== undefined)
      return { ...named, data: { ...(a.data as dnsPacket.MxData), exchange: n.data[0] } } as dnsPacket.Answer;
    if ((a.type === 'CNAME' || a.type === 'NS' || a.type === 'PTR') && n.data[0] !== undefined)
      return { ...named, data: n.data[0] } as dnsPacket.Answer;
    if (a.type === 'SOA' && n.data.length === 2)
      return { ...named, data: { ...(a.data as dnsPacket.SoaData), mname: n.data[0]!, rname: n.data[1]! } } as dnsPacket.Answer;
    return named;
  });
}

/** Limits on what we accept in one answer; more is treated as an error, not parsed further. */
export interface AnswerLimits {
  maxRecords: number;
  maxTxtBytes: number;
}

export const DEFAULT_LIMITS: AnswerLimits = { maxRecords: 200, maxTxtBytes: 32 * 1024 };

/** What one answer says about `name`, following CNAMEs inside the answer section. */
export type Extracted =
  | { kind: 'records'; records: DnsRecord[]; chain: string[] }
  /** The answer ends at a CNAME target without its records: ask again for the target. */
  | { kind: 'alias'; chain: string[] }
  | { kind: 'none'; chain: string[] }
  | { kind: 'invalid'; chain: string[]; message: string };

/**
 * Collects the records of `type` for `name`, following CNAMEs in the answer
 * (RFC 1034 §3.6.2), with a cap on the chain length and loop detection.
 * `seen` holds the names already visited by earlier queries of the same lookup.
 */
export function extractRecords(
  answers: dnsPacket.Answer[],
  name: string,
  type: RecordType,
  seen: string[],
  maxChain: number,
  limits: AnswerLimits,
): Extracted {
  if (answers.length > limits.maxRecords) {
    return { kind: 'invalid', chain: [], message: `answer has ${answers.length} records (limit ${limits.maxRecords})` };
  }
  const chain: string[] = [];
  let current = name;
  for (;;) {
    const here = answers.filter((a): a is DataAnswer => a.type !== 'OPT' && a.name.toLowerCase() === current && (a.class ?? 'IN') === 'IN');
    const matching = here.filter((a) => a.type === type);
    if (matching.length > 0) {
      const records: DnsRecord[] = [];
      let txtBytes = 0;
      for (const a of matching) {
        const record = toRecord(a, type);
        if (record === null) continue;
        if (record.type === 'TXT') {
          txtBytes += Buffer.byteLength(record.text);
          if (txtBytes > limits.maxTxtBytes) {
            return { kind: 'invalid', chain, message: `TXT records at ${current} exceed ${limits.maxTxtBytes} bytes in total` };
          }
        }
        records.push(record);
      }
      return { kind: 'records', records, chain };
    }
    if (type === 'CNAME') return { kind: 'none', chain };
    const cname = here.find((a) => a.type === 'CNAME');
    if (cname === undefined) return { kind: chain.length > 0 ? 'alias' : 'none', chain };
    const target = trimDot(String(cname.data).toLowerCase());
    if (target === name || seen.includes(target) || chain.includes(target)) {
      return { kind: 'invalid', chain: [...chain, target], message: `CNAME loop: ${[...seen, ...chain, target].join(' -> ')}` };
    }
    chain.push(target);
    if (seen.length - 1 + chain.length > maxChain) {
      return { kind: 'invalid', chain, message: `CNAME chain longer than ${maxChain} links` };
    }
    current = target;
  }
}

/** Every answer but EDNS's OPT pseudo-record carries rdata. */
type DataAnswer = Exclude<dnsPacket.Answer, dnsPacket.OptAnswer>;

function trimDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * TXT character-strings are bytes; SPF and DMARC are ASCII. Decode as UTF-8
 * when that is valid, else as Latin-1 so no byte is lost or replaced.
 */
function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

function toRecord(a: DataAnswer, type: RecordType): DnsRecord | null {
  const name = trimDot(a.name.toLowerCase());
  const ttl = 'ttl' in a && typeof a.ttl === 'number' ? a.ttl : 0;
  switch (type) {
    case 'A':
    case 'AAAA':
      return typeof a.data === 'string' ? { type, name, ttl, address: a.data } : null;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return typeof a.data === 'string' ? { type, name, ttl, target: trimDot(a.data.toLowerCase()) } : null;
    case 'MX': {
      const d = a.data as dnsPacket.MxData;
      // A null MX (RFC 7505) has exchange "." and stays ".".
      return { type, name, ttl, priority: d.preference ?? 0, exchange: trimDot(d.exchange.toLowerCase()) };
    }
    case 'TXT': {
      const d = a.data as dnsPacket.TxtData;
      const parts = (Array.isArray(d) ? d : [d]).map((p) => (typeof p === 'string' ? p : decodeText(p)));
      // RFC 7208 §3.3 / RFC 6376 §3.6.2.2: the strings of one record are joined without a separator.
      return { type, name, ttl, text: parts.join(''), strings: parts };
    }
    case 'SOA': {
      const d = a.data as dnsPacket.SoaData;
      return { type, name, ttl, mname: trimDot(d.mname.toLowerCase()), rname: trimDot(d.rname.toLowerCase()) };
    }
  }
}
