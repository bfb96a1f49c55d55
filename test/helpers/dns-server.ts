/**
 * Our own DNS server for fault injection: real UDP and TCP sockets on
 * 127.0.0.1 (one ephemeral port for both), answers from a table of records,
 * and per-name scenarios that misbehave in the ways a stub resolver must
 * survive. Also usable as a relay that adds latency in front of another
 * server (benchmarks), and with a raw responder that answers every query with
 * given bytes, framed for TCP or not (fuzzing, test/fuzz/dns.test.ts).
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import { decodeQuery, garbagePacket, optRecord, pointerLoopPacket, poison, type Query, resolveInTable, withRcode } from './dns-packets.js';

/** Ways to spoil an answer. Decoys go out over UDP before the real answer and must be ignored. */
export type Decoy =
  | 'wrong-id' // the poisoned answer with another transaction id
  | 'wrong-question' // the poisoned answer for another name
  | 'other-port' // the poisoned answer, right id and question, sent from another socket
  | 'not-response' // the poisoned answer with the QR bit clear
  | 'garbage' // random bytes behind a header with the right id
  | 'pointer-loop' // a compression pointer that points at itself
  | 'cut-short'; // the real answer with its last bytes cut off

/** What to send instead of the normal answer. */
export type Reply =
  | 'answer' // the normal answer (default)
  | 'silent' // nothing, on UDP and TCP
  | 'truncate' // UDP: TC set and no records; TCP: the normal answer
  | 'truncate-no-tcp' // UDP: TC set and no records; TCP: nothing
  | 'servfail'
  | 'refused'
  | 'nxdomain'
  | 'formerr-edns' // FORMERR (no question echoed) to queries with EDNS, the answer without
  | 'garbage'
  | 'pointer-loop'
  | 'cut-short';

export interface Scenario {
  decoys?: Decoy[];
  reply?: Reply;
  /** Wait this long before the answer (after the decoys). */
  delayMs?: number;
}

export type TestRecord = dnsPacket.Answer;

/** A query as received, for a raw responder to build its answer from. */
export interface RawQuery {
  id: number;
  /** As received (case preserved). */
  question: dnsPacket.Question;
  /** Lower-case, no trailing dot. */
  name: string;
  type: string;
  edns: boolean;
  /** The query as it came, for names that dns-packet's dotted strings cannot show (a label holding a dot). */
  bytes: Buffer;
}

/**
 * What a raw responder sends, byte for byte: UDP datagrams, or bytes written to
 * the TCP connection as they are (frame them with tcpFrame of dns-packets.ts, or don't), after
 * which the connection is ended when `end` is set.
 */
export interface RawReply {
  send: Buffer[];
  end?: boolean;
}

export type RawResponder = (query: RawQuery, transport: 'udp' | 'tcp') => RawReply;

export interface DnsServerOptions {
  /** The zone data: answered authoritatively, CNAMEs followed within the table. */
  records?: TestRecord[];
  /** Keyed by query name, lower-case, no trailing dot. */
  scenarios?: Record<string, Scenario>;
  /** Never answer anything (the queries are still counted). */
  silent?: boolean;
  /** Added before every answer, on both transports. */
  latencyMs?: number;
  /** Forward names that are neither in `records` nor in `scenarios` to this server (same transport). */
  relay?: { address: string; port: number };
  /** Answer every query with whatever this returns, instead of records and scenarios (fuzzing). */
  raw?: RawResponder;
}

export interface ReceivedQuery {
  transport: 'udp' | 'tcp';
  name: string;
  type: string;
  edns: boolean;
}

export interface DnsTestServer {
  address: '127.0.0.1';
  port: number;
  /** "127.0.0.1:PORT", ready for --nameserver. */
  nameserver: string;
  /** Queries received per transport. */
  counts: { udp: number; tcp: number };
  queries: ReceivedQuery[];
  /** Forget counts and queries (between tests sharing one server). */
  reset(): void;
  close(): Promise<void>;
}

const LOCALHOST = '127.0.0.1';

export async function startDnsServer(options: DnsServerOptions = {}): Promise<DnsTestServer> {
  const records = options.records ?? [];
  const scenarios = new Map(Object.entries(options.scenarios ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const counts = { udp: 0, tcp: 0 };
  const queries: ReceivedQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const connections = new Set<Socket>();
  const relaySockets = new Set<UdpSocket | Socket>();
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };

  const { udp, tcp, port } = await bindBoth();
  const spoofer = createSocket('udp4');
  await new Promise<void>((resolve) => spoofer.bind(0, LOCALHOST, () => resolve()));

  const known = (name: string) => scenarios.has(name) || records.some((r) => r.name.toLowerCase() === name);

  // --- UDP ---------------------------------------------------------------
  udp.on('message', (msg, rinfo) => {
    const query = decodeQuery(msg);
    if (!query) return;
    counts.udp++;
    queries.push({ transport: 'udp', name: query.name, type: query.type, edns: query.edns });
    if (options.silent) return;
    const send = (bytes: Buffer) => {
      if (!closed) udp.send(bytes, rinfo.port, rinfo.address);
    };
    if (options.raw) {
      for (const bytes of options.raw(rawQuery(query, msg), 'udp').send) send(bytes);
      return;
    }
    if (options.relay && !known(query.name)) return relayUdp(msg, send);
    const scenario = scenarios.get(query.name) ?? {};
    for (const decoy of scenario.decoys ?? []) sendDecoy(decoy, query, rinfo, send);
    later((options.latencyMs ?? 0) + (scenario.delayMs ?? 0), () => {
      const reply = buildReply(query, scenario.reply ?? 'answer', 'udp');
      if (reply) send(reply);
    });
  });

  function sendDecoy(decoy: Decoy, query: Query, rinfo: RemoteInfo, send: (b: Buffer) => void): void {
    const poisoned = (over: Partial<dnsPacket.Packet> = {}, question = query.question) =>
      dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [question],
        answers: poison(question),
        ...over,
      });
    switch (decoy) {
      case 'wrong-id':
        return send(poisoned({ id: (query.id + 1) & 0xffff }));
      case 'wrong-question': {
        const other = { ...query.question, name: `decoy.${query.question.name}` };
        return send(poisoned({}, other));
      }
      case 'other-port':
        return void spoofer.send(poisoned(), rinfo.port, rinfo.address);
      case 'not-response':
        return send(poisoned({ type: 'query' }));
      case 'garbage':
        return send(garbagePacket(query.id));
      case 'pointer-loop':
        return send(pointerLoopPacket(query));
      case 'cut-short': {
        const full = answerFor(query);
        return send(full.subarray(0, Math.max(12, full.length - 3)));
      }
    }
  }

  function buildReply(query: Query, reply: Reply, transport: 'udp' | 'tcp'): Buffer | null {
    switch (reply) {
      case 'silent':
        return null;
      case 'answer':
        return answerFor(query, transport === 'udp' ? query.udpLimit : null);
      case 'truncate':
        return transport === 'udp' ? emptyReply(query, 'NOERROR', true) : answerFor(query);
      case 'truncate-no-tcp':
        return transport === 'udp' ? emptyReply(query, 'NOERROR', true) : null;
      case 'servfail':
        return emptyReply(query, 'SERVFAIL');
      case 'refused':
        return emptyReply(query, 'REFUSED');
      case 'nxdomain':
        return emptyReply(query, 'NXDOMAIN');
      case 'formerr-edns':
        if (!query.edns) return answerFor(query, transport === 'udp' ? 512 : null);
        return withRcode(dnsPacket.encode({ type: 'response', id: query.id, flags: 0, questions: [] }), 1);
      case 'garbage':
        return garbagePacket(query.id);
      case 'pointer-loop':
        return pointerLoopPacket(query);
      case 'cut-short': {
        const full = answerFor(query);
        return full.subarray(0, Math.max(12, full.length - 3));
      }
    }
  }

  /** The authoritative answer from the table; truncated (TC, no records) if over `udpLimit`. */
  function answerFor(query: Query, udpLimit: number | null = null): Buffer {
    const { answers, nxdomain } = resolveInTable(records, query.name, query.type);
    const packet: dnsPacket.Packet = {
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (query.rd ? dnsPacket.RECURSION_DESIRED : 0),
      questions: [query.question],
      answers,
      additionals: query.edns ? [optRecord()] : [],
    };
    const bytes = withRcode(dnsPacket.encode(packet), nxdomain ? 3 : 0);
    if (udpLimit !== null && bytes.length > udpLimit) return emptyReply(query, 'NOERROR', true);
    return bytes;
  }

  function emptyReply(query: Query, rcode: 'NOERROR' | 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN', truncated = false): Buffer {
    const flags =
      dnsPacket.AUTHORITATIVE_ANSWER | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | (query.rd ? dnsPacket.RECURSION_DESIRED : 0);
    const bytes = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags,
      questions: [query.question],
      additionals: query.edns ? [optRecord()] : [],
    });
    return withRcode(bytes, { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode]);
  }

  function relayUdp(msg: Buffer, send: (b: Buffer) => void): void {
    const relay = options.relay;
    if (!relay) return;
    const upstream = createSocket('udp4');
    relaySockets.add(upstream);
    const done = () => {
      relaySockets.delete(upstream);
      try {
        upstream.close();
      } catch {
        /* closed already */
      }
    };
    const guard = setTimeout(done, 5000);
    upstream.on('error', done);
    upstream.on('message', (answer) => {
      clearTimeout(guard);
      done();
      later(options.latencyMs ?? 0, () => send(answer));
    });
    upstream.send(msg, relay.port, relay.address);
  }

  // --- TCP ---------------------------------------------------------------
  tcp.on('connection', (conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    let buffered = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const msg = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        handleTcpQuery(conn, msg);
      }
    });
  });

  function handleTcpQuery(conn: Socket, msg: Buffer): void {
    const query = decodeQuery(msg);
    if (!query) return;
    counts.tcp++;
    queries.push({ transport: 'tcp', name: query.name, type: query.type, edns: query.edns });
    if (options.silent) return;
    const send = (bytes: Buffer) => {
      if (closed || conn.destroyed) return;
      const frame = Buffer.alloc(2 + bytes.length);
      frame.writeUInt16BE(bytes.length, 0);
      bytes.copy(frame, 2);
      conn.write(frame);
    };
    if (options.raw) {
      const reply = options.raw(rawQuery(query, msg), 'tcp');
      for (const bytes of reply.send) if (!closed && !conn.destroyed) conn.write(bytes);
      if (reply.end) conn.end();
      return;
    }
    if (options.relay && !known(query.name)) return relayTcp(msg, send);
    const scenario = scenarios.get(query.name) ?? {};
    later((options.latencyMs ?? 0) + (scenario.delayMs ?? 0), () => {
      const reply = buildReply(query, scenario.reply ?? 'answer', 'tcp');
      if (reply) send(reply);
    });
  }

  function relayTcp(msg: Buffer, send: (b: Buffer) => void): void {
    const relay = options.relay;
    if (!relay) return;
    const upstream = connect({ host: relay.address, port: relay.port });
    relaySockets.add(upstream);
    upstream.setTimeout(5000, () => upstream.destroy());
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => relaySockets.delete(upstream));
    let buffered = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const answer = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        upstream.destroy();
        later(options.latencyMs ?? 0, () => send(answer));
      }
    });
    const frame = Buffer.alloc(2 + msg.length);
    frame.writeUInt16BE(msg.length, 0);
    msg.copy(frame, 2);
    upstream.write(frame);
  }

  return {
    address: LOCALHOST,
    port,
    nameserver: `${LOCALHOST}:${port}`,
    counts,
    queries,
    reset() {
      counts.udp = 0;
      counts.tcp = 0;
      queries.length = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of connections) c.destroy();
      for (const s of relaySockets) {
        if ('destroy' in s) s.destroy();
        else {
          try {
            s.close();
          } catch {
            /* closed already */
          }
        }
      }
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => spoofer.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

function rawQuery(query: Query, bytes: Buffer): RawQuery {
  return { id: query.id, question: query.question, name: query.name, type: query.type, edns: query.edns, bytes };
}

/** UDP and TCP on the same ephemeral port; retried if the TCP side of the port is taken. */
async function bindBoth(): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let tries = 0; tries < 20; tries++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, LOCALHOST, () => resolve());
    });
    const port = udp.address().port;
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, LOCALHOST, () => resolve(true));
    });
    if (ok) {
      udp.on('error', () => {});
      return { udp, tcp, port };
    }
    await new Promise<void>((resolve) => udp.close(() => resolve()));
  }
  throw new Error('could not bind UDP and TCP on one free port on 127.0.0.1');
}
