import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../core/errors.js';

/** One DNS server to ask. `address` is canonical (IPv6 compressed, lower-case). */
export interface ServerAddress {
  address: string;
  port: number;
  family: 4 | 6;
}

export const DNS_PORT = 53;

/** "ip:port" for reports; IPv6 in brackets: "[::1]:5353". */
export function formatServer(server: ServerAddress): string {
  return server.family === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

/**
 * Parses one `--nameserver` value: `IP`, `IPv4:PORT`, `IPv6` or `[IPv6]:PORT`
 * (`[::1]:5353`). Host names are refused: asking DNS where DNS is would need
 * a resolver we do not have yet. A bad value is a UsageError.
 */
export function parseNameserver(input: string): ServerAddress {
  const text = input.trim();
  const bad = (why: string) => new UsageError(`bad --nameserver "${text.slice(0, 80)}": ${why}`);
  if (text === '') throw bad('empty; expected an IP address such as 127.0.0.1 or [::1]:5353');

  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (!isIPv6(host)) throw bad('the part in brackets is not an IPv6 address');
  } else if (text.split(':').length > 2) {
    // More than one colon without brackets: a bare IPv6 address, no port.
    host = text;
    if (!isIPv6(host)) throw bad('not an IP address (write IPv6 with a port as [::1]:5353)');
  } else {
    const colon = text.indexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
    if (!isIPv4(host)) {
      throw bad(/^[a-z0-9.-]+$/i.test(host) && /[a-z]/i.test(host) ? 'expected an IP address, not a host name' : 'not an IP address');
    }
  }

  let port = DNS_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw bad('the port must be a number from 1 to 65535');
    port = Number(portText);
    if (port < 1 || port > 65535) throw bad('the port must be a number from 1 to 65535');
  }
  return canonicalServer(host, port);
}

/**
 * Several `--nameserver` values; each may also hold a comma-separated list
 * ("1.1.1.1,8.8.8.8"). Duplicates are dropped, order is kept.
 */
export function parseNameservers(inputs: readonly string[]): ServerAddress[] {
  const out: ServerAddress[] = [];
  for (const input of inputs) {
    for (const part of input.split(',')) {
      if (part.trim() === '' && input.includes(',')) continue;
      const server = parseNameserver(part);
      if (!out.some((s) => s.address === server.address && s.port === server.port)) out.push(server);
    }
  }
  return out;
}

/** Canonical text of an IP (host already validated), so it compares equal to a socket's rinfo.address. */
export function canonicalServer(host: string, port: number): ServerAddress {
  if (isIPv4(host)) return { address: host, port, family: 4 };
  // Keep an IPv6 zone id ("fe80::1%eth0"); canonicalise the address part via the WHATWG URL parser.
  const pct = host.indexOf('%');
  const bare = pct === -1 ? host : host.slice(0, pct);
  const zone = pct === -1 ? '' : host.slice(pct);
  const compressed = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return { address: compressed + zone, port, family: 6 };
}

/** What /etc/resolv.conf says, with glibc's defaults and caps applied. */
export interface ResolvConf {
  /** At most 3 (glibc MAXNS); 127.0.0.1:53 when the file names none. */
  nameservers: ServerAddress[];
  /** `options timeout:N` in ms, if given (glibc caps N at 30). */
  timeoutMs: number | null;
  /** `options attempts:N`, if given (glibc caps N at 5). */
  attempts: number | null;
  /** `options rotate`: spread queries over the servers round-robin. */
  rotate: boolean;
}

const MAXNS = 3;

/**
 * Parses resolv.conf text (resolv.conf(5), glibc semantics). Pure: the file
 * is read elsewhere. Unknown keywords and options, bad addresses and
 * comments (`#` or `;`) are ignored, as glibc does.
 */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: ServerAddress[] = [];
  let timeoutMs: number | null = null;
  let attempts: number | null = null;
  let rotate = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    if (line === '') continue;
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver') {
      const host = args[0];
      if (host === undefined || nameservers.length >= MAXNS) continue;
      const bare = host.replace(/%.*$/, '');
      if (isIPv4(host) || isIPv6(bare)) nameservers.push(canonicalServer(host, DNS_PORT));
    } else if (keyword === 'options') {
      for (const opt of args) {
        const m = /^(timeout|attempts):(\d+)$/.exec(opt);
        if (m && m[1] === 'timeout') timeoutMs = Math.min(Math.max(Number(m[2]), 1), 30) * 1000;
        else if (m && m[1] === 'attempts') attempts = Math.min(Math.max(Number(m[2]), 1), 5);
        else if (opt === 'rotate') rotate = true;
      }
    }
  }
  // resolv.conf(5): with no nameserver line, the name server on the local machine is used.
  if (nameservers.length === 0) nameservers.push({ address: '127.0.0.1', port: DNS_PORT, family: 4 });
  return { nameservers, timeoutMs, attempts, rotate };
}
