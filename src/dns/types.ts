/**
 * The resolver seam. src/dns/ implements it over real sockets with dns-packet;
 * src/checks/ only ever sees this interface, so checks stay free of I/O and
 * tests can pass a real server on 127.0.0.1 or recorded answers.
 */
export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'NS' | 'SOA' | 'PTR';

export type DnsRecord =
  | { type: 'A'; name: string; ttl: number; address: string }
  | { type: 'AAAA'; name: string; ttl: number; address: string }
  | { type: 'MX'; name: string; ttl: number; priority: number; exchange: string }
  /** TXT: the character-strings of one record joined without separator (RFC 7208 §3.3). */
  | { type: 'TXT'; name: string; ttl: number; text: string; strings: string[] }
  | { type: 'CNAME'; name: string; ttl: number; target: string }
  | { type: 'NS'; name: string; ttl: number; target: string }
  | { type: 'SOA'; name: string; ttl: number; mname: string; rname: string }
  | { type: 'PTR'; name: string; ttl: number; target: string };

/**
 * "Could not check" is never "absent": the outcome of a lookup keeps
 * NXDOMAIN, NODATA, SERVFAIL, REFUSED and timeouts apart.
 */
export type LookupStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'error';

export interface LookupResult {
  /** The name asked (lower-case A-labels, no trailing dot). */
  name: string;
  type: RecordType;
  status: LookupStatus;
  /** Records of the asked type, at the end of any CNAME chain. */
  records: DnsRecord[];
  /** CNAMEs followed from `name`, in order (empty when none). */
  cnameChain: string[];
  /** The server that answered (or the last one tried), "ip:port". */
  server: string | null;
  /** A short human reason for error, timeout, servfail and refused. */
  message: string | null;
}

export interface Resolver {
  lookup(name: string, type: RecordType): Promise<LookupResult>;
  /** The servers this resolver asks, "ip:port", for reports. */
  readonly servers: string[];
}
