/**
 * The "recorded answers" seam: a Resolver that answers from a table instead of
 * the network. Not a mock of a library; it implements our own Resolver
 * interface (src/dns/types.ts) the way the real client behaves: CNAMEs at a
 * name are followed for other types, unlisted names are NXDOMAIN, a listed
 * name without the asked type is NODATA.
 *
 * Answers are released in waves: every question asked before the next
 * macrotask is answered together, so `waves` counts the real sequential
 * round trips a run needed, independent of the checks' own bookkeeping.
 */
import type { DnsRecord, LookupResult, LookupStatus, RecordType, Resolver } from '../../src/dns/types.js';

/** rdata as in a zone file ("10 mx.example" for MX; TXT as one string or its character-strings). */
export type Answer = Array<string | string[]> | Exclude<LookupStatus, 'ok'>;
export type Table = Record<string, Answer>;

export interface RecordedResolver extends Resolver {
  readonly asked: string[];
  readonly waves: number;
}

export function recordedResolver(table: Table, servers = ['192.0.2.53:53']): RecordedResolver {
  const asked: string[] = [];
  let waves = 0;
  let pending: Array<() => void> = [];
  const flush = () => {
    waves += 1;
    const now = pending;
    pending = [];
    for (const release of now) release();
  };
  const has = (name: string) => Object.keys(table).some((k) => k.slice(0, k.lastIndexOf(' ')) === name);

  function answer(name: string, type: RecordType, chain: string[]): LookupResult {
    const base = { name: chain.length ? chain[0]! : name, type, cnameChain: chain.slice(1), server: servers[0] ?? null };
    const entry = table[`${name} ${type}`];
    if (typeof entry === 'string')
      return { ...base, status: entry, records: [], message: entry === 'timeout' ? 'no answer in time' : null };
    if (entry) return { ...base, status: 'ok', records: entry.map((rdata) => toRecord(name, type, rdata)), message: null };
    const cname = table[`${name} CNAME`];
    if (type !== 'CNAME' && Array.isArray(cname) && typeof cname[0] === 'string') {
      const target = cname[0].replace(/\.$/, '').toLowerCase();
      if (chain.includes(target) || chain.length > 8) return { ...base, status: 'error', records: [], message: 'CNAME loop' };
      return answer(target, type, [...(chain.length ? chain : [name]), target]);
    }
    return { ...base, status: has(name) ? 'nodata' : 'nxdomain', records: [], message: null };
  }

  return {
    servers,
    asked,
    get waves() {
      return waves;
    },
    lookup(name: string, type: RecordType): Promise<LookupResult> {
      const key = name.replace(/\.$/, '').toLowerCase();
      asked.push(`${key} ${type}`);
      return new Promise((resolve) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push(() => resolve(answer(key, type, [])));
      });
    },
  };
}

function toRecord(name: string, type: RecordType, rdata: string | string[]): DnsRecord {
  const ttl = 300;
  const text = Array.isArray(rdata) ? rdata.join('') : rdata;
  switch (type) {
    case 'A':
    case 'AAAA':
      return { type, name, ttl, address: text };
    case 'MX': {
      const [priority, exchange] = text.split(/\s+/);
      const host = (exchange ?? '').toLowerCase();
      return { type, name, ttl, priority: Number(priority), exchange: host === '.' ? '.' : host.replace(/\.$/, '') };
    }
    case 'TXT':
      return { type, name, ttl, text, strings: Array.isArray(rdata) ? rdata : [rdata] };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { type, name, ttl, target: text.replace(/\.$/, '').toLowerCase() };
    case 'SOA':
      return { type, name, ttl, mname: text, rname: text };
  }
}
