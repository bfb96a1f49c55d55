import type { DnsRecord, LookupResult, LookupStatus, RecordType, Resolver } from '../dns/types.js';
import type { CheckProgress, Evidence } from './types.js';

/** A whole run never asks more than this many questions (a hostile SPF tree cannot make us flood a resolver). */
export const MAX_QUERIES = 200;

const OVER_QUERY_CAP = `not asked: this check already asked ${MAX_QUERIES} questions`;

/** True for a lookup that was never sent because the run had asked MAX_QUERIES questions already. */
export function overQueryCap(r: LookupResult): boolean {
  return r.status === 'error' && r.message === OVER_QUERY_CAP;
}

/** Statuses that mean "could not check", as opposed to an answer (records, NXDOMAIN, NODATA). */
const UNANSWERED: ReadonlySet<LookupStatus> = new Set(['timeout', 'servfail', 'refused', 'error']);

export function isUnanswered(r: Pick<LookupResult, 'status'>): boolean {
  return UNANSWERED.has(r.status);
}

/** NXDOMAIN or NODATA: the name or the record type is absent (an SPF "void lookup", RFC 7208 §4.6.4). */
export function isVoid(r: LookupResult): boolean {
  return r.status === 'nxdomain' || r.status === 'nodata' || (r.status === 'ok' && r.records.length === 0);
}

interface Question {
  round: number;
  result: Promise<LookupResult>;
  /** Asked by prefetch and not (yet) by a check: not counted as a query of the run. */
  speculative: boolean;
  settled: LookupResult | null;
}

/**
 * Asks the resolver on behalf of the checks. Each distinct question is asked
 * once (later askers share the answer), and every question carries the round
 * it belongs to: a question that needs an earlier answer is one round later.
 * Independent questions of a round are asked at once by the callers, so the
 * highest round is the number of sequential round trips.
 *
 * A question can also be asked ahead (prefetch), together with one whose
 * answer will very likely lead to it, so that it costs no round of its own.
 * It counts as a query of the run (queries, answered, unanswered) only once a
 * check asks it; if none does, the report does not show it.
 */
export class Asker {
  private readonly cache = new Map<string, Question>();
  private claimed = 0;
  private answered = 0;
  private unansweredCount = 0;
  private maxRound = 0;

  constructor(
    private readonly resolver: Resolver,
    private readonly onProgress?: (p: CheckProgress) => void,
  ) {}

  get servers(): string[] {
    return [...this.resolver.servers];
  }

  get rounds(): number {
    return this.maxRound;
  }

  get queries(): number {
    return this.claimed;
  }

  get unanswered(): number {
    return this.unansweredCount;
  }

  ask(name: string, type: RecordType, round: number): Promise<LookupResult> {
    const known = this.cache.get(questionKey(name, type));
    if (known) {
      if (known.speculative) this.claim(known);
      return known.result;
    }
    if (this.cache.size >= MAX_QUERIES) {
      return Promise.resolve(failed(name, type, OVER_QUERY_CAP));
    }
    this.maxRound = Math.max(this.maxRound, round);
    const q = this.send(name, type, round, false);
    this.claimed += 1;
    this.progress();
    return q.result;
  }

  /** Asks now what the next round will very likely ask (see the class comment). */
  prefetch(name: string, type: RecordType): void {
    if (this.cache.has(questionKey(name, type)) || this.cache.size >= MAX_QUERIES) return;
    this.send(name, type, this.maxRound, true);
  }

  private send(name: string, type: RecordType, round: number, speculative: boolean): Question {
    const state: Omit<Question, 'result'> = { round, speculative, settled: null };
    const result = this.resolver
      .lookup(name, type)
      .catch((e: unknown) => failed(name, type, e instanceof Error ? e.message : String(e)))
      .then((r) => {
        state.settled = r;
        // Counted when it settles, unless it is still only asked ahead (then claim() counts it).
        if (!state.speculative) this.count(r);
        return r;
      });
    const q: Question = Object.assign(state, { result });
    this.cache.set(questionKey(name, type), q);
    return q;
  }

  /** A check asks a prefetched question: from now on it is one of the run's queries. */
  private claim(q: Question): void {
    q.speculative = false;
    this.claimed += 1;
    if (q.settled) this.count(q.settled);
    else this.progress();
  }

  private count(r: LookupResult): void {
    this.answered += 1;
    if (isUnanswered(r)) this.unansweredCount += 1;
    this.progress();
  }

  private progress(): void {
    this.onProgress?.({ round: this.maxRound, queries: this.claimed, answered: this.answered });
  }
}

function questionKey(name: string, type: RecordType): string {
  return `${name.toLowerCase()}|${type}`;
}

function failed(name: string, type: RecordType, message: string): LookupResult {
  return { name, type, status: 'error', records: [], cnameChain: [], server: null, message };
}

// ---------------------------------------------------------------------------
// Evidence: what DNS said, as data (rendered by src/render/checks-text.ts).

/** A record's data as in a zone file; TXT joined (strings are kept apart in `strings`). */
function recordValue(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.address;
    case 'MX':
      return `${r.priority} ${r.exchange === '' ? '.' : r.exchange}`;
    case 'TXT':
      return r.text;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return r.target;
    case 'SOA':
      return `${r.mname} ${r.rname}`;
  }
}

export function recordEvidence(r: DnsRecord): Evidence {
  return {
    name: r.name,
    type: r.type,
    value: recordValue(r),
    ...(r.type === 'TXT' ? { strings: r.strings } : {}),
    ttl: r.ttl,
    status: 'ok',
  };
}

/** Evidence for a whole lookup: the CNAMEs followed, then its records, or what it found instead. */
export function lookupEvidence(r: LookupResult): Evidence[] {
  const out: Evidence[] = [];
  let from = r.name;
  for (const target of r.cnameChain) {
    // The resolver keeps the chain's names, not its TTLs.
    out.push({ name: from, type: 'CNAME', value: target, ttl: null, status: 'ok' });
    from = target;
  }
  if (r.records.length) return [...out, ...r.records.map(recordEvidence)];
  const status = r.status === 'ok' ? 'nodata' : r.status;
  return [...out, { name: from, type: r.type, value: null, ttl: null, status, detail: describeStatus({ ...r, status }) }];
}

/** The same evidence once (several checks share lookups). */
export function uniqueEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = JSON.stringify([e.name, e.type, e.value, e.status]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const STATUS_WORDS: Record<LookupStatus, string> = {
  ok: 'no records',
  nodata: 'no records (NODATA)',
  nxdomain: 'no such name (NXDOMAIN)',
  servfail: 'SERVFAIL',
  refused: 'REFUSED',
  timeout: 'timed out',
  error: 'no answer',
};

/** The resolver's "server: reason (n tries)" parts, with a bare response code said once: "127.0.0.1:53 answered REFUSED". */
function tidyMessage(message: string): string {
  return message.replace(/(^|; )([^;]+?): (REFUSED|SERVFAIL)(?= \(\d+ tries\)|;|$)/g, '$1$2 answered $3');
}

/**
 * "127.0.0.1:53 answered REFUSED", "timed out: 127.0.0.1:53: no answer within
 * 2500 ms (2 tries)", "no answer: 127.0.0.1:9: connection refused" …: the
 * status word once, then the resolver's account of each server.
 */
export function describeStatus(r: LookupResult): string {
  const words = STATUS_WORDS[r.status];
  if (!isUnanswered(r)) return words;
  const message = r.message ? tidyMessage(r.message) : '';
  const said = message.toLowerCase().includes(words.toLowerCase());
  const text = !message ? words : said ? message : `${words}: ${message}`;
  return r.server && !text.includes(r.server) ? `${text} (${r.server})` : text;
}

/** One-line reason a check could not be done. */
export function couldNotAsk(r: LookupResult): string {
  return `could not look up ${r.type} ${r.name}: ${describeStatus(r)}`;
}
