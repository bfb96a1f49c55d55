/**
 * The packets of the test DNS server (dns-server.ts): queries as received,
 * answers from a record table, and the spoiled answers its scenarios send.
 */
import { randomBytes } from 'node:crypto';
import dnsPacket from 'dns-packet';

/** Records the decoys carry: if a client accepts a decoy, the test sees these. */
export const POISON = { A: '198.51.100.66', AAAA: '2001:db8::66', TXT: 'poisoned', MX: 'poison.invalid', CNAME: 'poison.invalid' } as const;

export interface Query {
  id: number;
  /** As received (case preserved), echoed back. */
  question: dnsPacket.Question;
  /** Lower-case, no trailing dot. */
  name: string;
  type: string;
  rd: boolean;
  edns: boolean;
  /** The client's UDP size: its EDNS payload size, at least 512 (RFC 6891 §6.2.5), else 512. */
  udpLimit: number;
}

export function decodeQuery(msg: Buffer): Query | null {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(msg);
  } catch {
    return null;
  }
  const question = packet.questions?.[0];
  if (!question || packet.type !== 'query') return null;
  const opt = packet.additionals?.find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
  return {
    id: packet.id ?? 0,
    question,
    name: question.name.toLowerCase().replace(/\.$/, ''),
    type: question.type,
    rd: packet.flag_rd,
    edns: opt !== undefined,
    udpLimit: opt ? Math.max(512, opt.udpPayloadSize) : 512,
  };
}

/** A DNS message framed for TCP: a 2-byte length, then the message (RFC 1035 §4.2.2). */
export function tcpFrame(bytes: Buffer): Buffer {
  const frame = Buffer.alloc(2 + bytes.length);
  frame.writeUInt16BE(bytes.length & 0xffff, 0);
  bytes.copy(frame, 2);
  return frame;
}

/** Records of `type` at `name`, following CNAMEs inside the table; NXDOMAIN when the last name has no records at all. */
export function resolveInTable(
  records: dnsPacket.Answer[],
  name: string,
  type: string,
): { answers: dnsPacket.Answer[]; nxdomain: boolean } {
  const answers: dnsPacket.Answer[] = [];
  const visited = new Set<string>();
  let current = name;
  for (;;) {
    const here = records.filter((r) => r.name.toLowerCase() === current);
    if (here.length === 0) return { answers, nxdomain: true };
    const matching = here.filter((r) => r.type === type);
    if (matching.length > 0 || type === 'CNAME') return { answers: [...answers, ...matching], nxdomain: false };
    const cname = here.find((r) => r.type === 'CNAME');
    if (!cname || visited.has(current)) return { answers, nxdomain: false };
    visited.add(current);
    answers.push(cname);
    current = String((cname as dnsPacket.StringAnswer).data).toLowerCase();
  }
}

/** A decoy answer to `question`, carrying the POISON records. */
export function poison(question: dnsPacket.Question): dnsPacket.Answer[] {
  const name = question.name;
  switch (question.type) {
    case 'A':
      return [{ name, type: 'A', ttl: 60, data: POISON.A }];
    case 'AAAA':
      return [{ name, type: 'AAAA', ttl: 60, data: POISON.AAAA }];
    case 'MX':
      return [{ name, type: 'MX', ttl: 60, data: { preference: 1, exchange: POISON.MX } }];
    case 'CNAME':
      return [{ name, type: 'CNAME', ttl: 60, data: POISON.CNAME }];
    default:
      return [{ name, type: 'TXT', ttl: 60, data: [POISON.TXT] }];
  }
}

/** The OPT record of an EDNS answer (RFC 6891). */
export function optRecord(): dnsPacket.OptAnswer {
  return { type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
}

/** dns-packet's encoder has no rcode field; set the low 4 bits of the flags word. */
export function withRcode(bytes: Buffer, rcode: number): Buffer {
  bytes.writeUInt16BE((bytes.readUInt16BE(2) & 0xfff0) | rcode, 2);
  return bytes;
}

/** Right id, QR set, "1 question, 65535 answers", then random bytes. */
export function garbagePacket(id: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(0xffff, 6);
  return Buffer.concat([header, Buffer.from([0xff, 0xff]), randomBytes(48)]);
}

/** A well-formed header and question, then one answer whose owner name is a pointer to itself (RFC 1035 §4.1.4 abuse). */
export function pointerLoopPacket(query: Query): Buffer {
  const head = dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: [query.question] });
  head.writeUInt16BE(1, 6); // ANCOUNT = 1
  const at = head.length;
  const answer = Buffer.alloc(2 + 10 + 4);
  answer.writeUInt16BE(0xc000 | at, 0); // pointer to offset `at`: itself
  answer.writeUInt16BE(1, 2); // TYPE A
  answer.writeUInt16BE(1, 4); // CLASS IN
  answer.writeUInt32BE(60, 6); // TTL
  answer.writeUInt16BE(4, 10); // RDLENGTH
  answer.writeUInt32BE(0xc0000201, 12); // 192.0.2.1
  return Buffer.concat([head, answer]);
}
