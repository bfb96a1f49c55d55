import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { checkResponse, type Question, type Response } from './message.js';
import { canonicalServer, type ServerAddress } from './servers.js';

/** The outcome of one query to one server over one transport. */
export type Exchange =
  | { kind: 'response'; response: Response }
  /** Nothing usable arrived in time. `ignored` says what arrived but was not accepted. */
  | { kind: 'timeout'; ignored: Ignored }
  /** The transport failed (port unreachable, connection reset or closed). */
  | { kind: 'failed'; message: string }
  /** The resolver's overall deadline passed or the caller cancelled. */
  | { kind: 'aborted' };

export interface Ignored {
  count: number;
  /** Only undecodable packets arrived (never a well-formed but mismatched one). */
  onlyUndecodable: boolean;
  lastReason: string | null;
}

const TCP_MAX_MESSAGE = 65535;

/**
 * Sends `bytes` to `server` over UDP from a fresh socket (a new random
 * source port per query, RFC 5452 §9.2) and waits up to `timeoutMs` for the
 * answer to `question`. Packets that do not match are ignored and the wait
 * goes on; the socket is closed on every path.
 */
export function exchangeUdp(
  server: ServerAddress,
  bytes: Buffer,
  question: Question,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const ignored: Ignored = { count: 0, onlyUndecodable: true, lastReason: null };
    const socket = createSocket(server.family === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      // close() throws if the socket is already closed; an error event after close is swallowed below.
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout', ignored }), timeoutMs);

    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'failed', message: describeSocketError(err) }));
    socket.on('message', (msg, rinfo) => {
      // Only the server we asked, at the port we asked (RFC 5452 §9.1). The
      // socket is connected, so the kernel filters too; this is the second lock.
      const from = rinfo.family === 'IPv6' ? canonicalServer(rinfo.address, rinfo.port).address : rinfo.address;
      if (from !== server.address || rinfo.port !== server.port) {
        note(ignored, `answer from ${rinfo.address}:${rinfo.port}, not the server asked`, false);
        return;
      }
      const checked = checkResponse(msg, question);
      if (checked.ok) finish({ kind: 'response', response: checked.response });
      else note(ignored, checked.reason, checked.undecodable);
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    // connect() makes the kernel report ICMP port-unreachable as ECONNREFUSED,
    // so a dead server fails at once instead of after the timeout.
    socket.connect(server.port, server.address, () => {
      if (done) return;
      socket.send(bytes, (err) => {
        if (err) finish({ kind: 'failed', message: describeSocketError(err) });
      });
    });
  });
}

/**
 * The same question over TCP (RFC 7766), each message framed by a 2-byte
 * length. Used after a truncated UDP answer. Frames that do not match are
 * ignored; the connection is destroyed on every path.
 */
export function exchangeTcp(
  server: ServerAddress,
  bytes: Buffer,
  question: Question,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const ignored: Ignored = { count: 0, onlyUndecodable: true, lastReason: null };
    const socket = connect({ host: server.address, port: server.port });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout', ignored }), timeoutMs);

    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'failed', message: `TCP: ${describeSocketError(err)}` }));
    socket.on('close', () =>
      finish(ignored.count > 0 ? { kind: 'timeout', ignored } : { kind: 'failed', message: 'TCP: connection closed before an answer' }),
    );
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // A frame is complete only with length + 2 bytes buffered.
      while (!done && buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < length + 2) break;
        const frame = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const checked = checkResponse(frame, question);
        if (checked.ok) finish({ kind: 'response', response: checked.response });
        else note(ignored, checked.reason, checked.undecodable);
      }
      if (!done && buffered.length > TCP_MAX_MESSAGE + 2) finish({ kind: 'failed', message: 'TCP: oversized frame' });
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setNoDelay(true);
    const frame = Buffer.alloc(2 + bytes.length);
    frame.writeUInt16BE(bytes.length, 0);
    bytes.copy(frame, 2);
    socket.write(frame);
  });
}

function note(ignored: Ignored, reason: string, undecodable: boolean): void {
  ignored.count += 1;
  ignored.lastReason = reason;
  if (!undecodable) ignored.onlyUndecodable = false;
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listening)';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'network unreachable';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return 'address not usable from this host';
    default:
      return err.code ?? err.message;
  }
}
