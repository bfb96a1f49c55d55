import { setMaxListeners } from 'node:events';
import { buildQuery, DEFAULT_LIMITS, extractRecords, type AnswerLimits, type Response } from './message.js';
import { toQueryName } from './name.js';
import { formatServer, type ServerAddress } from './servers.js';
import { exchangeTcp, exchangeUdp, type Exchange } from './transport.js';
import type { DnsRecord, LookupResult, LookupStatus, RecordType, Resolver } from './types.js';

/** Everything a DnsResolver needs, already parsed and validated. */
export interface ResolverConfig {
  servers: ServerAddress[];
  /** Wait for one answer from one server, per try. */
  timeoutMs: number;
  /** Rounds over all servers (resolv.conf `attempts`). */
  attempts: number;
  /** Overall budget for all lookups of this resolver, from its first lookup. */
  deadlineMs: number;
  /** Start each query at the next server in turn (resolv.conf `options rotate`). */
  rotate?: boolean;
  /** CNAME links followed per lookup before giving up. */
  maxCnameChain?: number;
  /** Server exchanges in flight at once; more wait their turn (bounds open sockets). */
  maxInFlight?: number;
  limits?: Partial<AnswerLimits>;
  /** Cancels every lookup (e.g. on Ctrl+C); they end as 'timeout' with a message. */
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 2500;
export const DEFAULT_ATTEMPTS = 2;
export const DEFAULT_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_CNAME_CHAIN = 8;
export const DEFAULT_MAX_IN_FLIGHT = 64;

/** What asking the server list produced for one question. */
type Asked =
  | { kind: 'answer'; response: Response; server: string }
  | { kind: 'failure'; status: Exclude<LookupStatus, 'ok' | 'nxdomain' | 'nodata'>; message: string; server: string | null };

/** One server's outcome for one question, for the final message. */
interface Attempt {
  server: string;
  status: 'servfail' | 'refused' | 'error' | 'timeout';
  message: string;
}

/**
 * A stub resolver over UDP (EDNS0, 1232 bytes) with a TCP retry on
 * truncation, speaking to the configured servers in resolv.conf order.
 * Every lookup resolves (never rejects); failures are statuses.
 */
export class DnsResolver implements Resolver {
  readonly servers: string[];
  private readonly config: Required<Omit<ResolverConfig, 'signal' | 'limits'>> & { limits: AnswerLimits };
  private readonly controller = new AbortController();
  private deadlineTimer: NodeJS.Timeout | null = null;
  private abortReason: string | null = null;
  private deadlinePassed = false;
  private rotation = 0;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(config: ResolverConfig) {
    // Every lookup in flight listens on this one signal; a check of a domain with many
    // SPF includes has dozens in flight, which is intended, not a leak.
    setMaxListeners(0, this.controller.signal);
    if (config.servers.length === 0) throw new Error('DnsResolver needs at least one server');
    this.config = {
      servers: config.servers,
      timeoutMs: config.timeoutMs,
      attempts: config.attempts,
      deadlineMs: config.deadlineMs,
      rotate: config.rotate ?? false,
      maxCnameChain: config.maxCnameChain ?? DEFAULT_MAX_CNAME_CHAIN,
      maxInFlight: config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      limits: { ...DEFAULT_LIMITS, ...config.limits },
    };
    this.servers = config.servers.map(formatServer);
    const outer = config.signal;
    if (outer) {
      const cancel = () => this.abort('DNS lookups cancelled');
      if (outer.aborted) cancel();
      else outer.addEventListener('abort', cancel, { once: true });
    }
  }

  async lookup(name: string, type: RecordType): Promise<LookupResult> {
    const q = toQueryName(name);
    const asked = 'name' in q ? q.name : name;
    const result = (
      status: LookupStatus,
      records: DnsRecord[],
      chain: string[],
      server: string | null,
      message: string | null,
    ): LookupResult => ({
      name: asked,
      type,
      status,
      records,
      cnameChain: chain,
      server,
      message,
    });
    if ('problem' in q) return result('error', [], [], null, `invalid name: ${q.problem}`);
    this.startDeadline();

    const chain: string[] = [];
    let current = q.name;
    for (;;) {
      const got = await this.askServers(current, type);
      if (got.kind === 'failure') return result(got.status, [], chain, got.server, got.message);
      const { response, server } = got;
      const extracted = extractRecords(response.answers, current, type, [q.name, ...chain], this.config.maxCnameChain, this.config.limits);
      chain.push(...extracted.chain);
      switch (extracted.kind) {
        case 'invalid':
          return result('error', [], chain, server, extracted.message);
        case 'records':
          return result('ok', extracted.records, chain, server, null);
        case 'alias':
          // RFC 6604 §3: with a CNAME chain, the RCODE is about the last name in it.
          if (response.rcode === 'NXDOMAIN') return result('nxdomain', [], chain, server, null);
          // The server gave the alias but not the target's records (an
          // authoritative server outside its zone does this): ask for the target.
          current = chain[chain.length - 1] ?? current;
          continue;
        case 'none':
          return result(response.rcode === 'NXDOMAIN' ? 'nxdomain' : 'nodata', [], chain, server, null);
      }
    }
  }

  /** True once the overall deadline (`deadlineMs` from the first lookup) has passed and lookups were cut short. */
  get deadlineReached(): boolean {
    return this.deadlinePassed;
  }

  /** The overall budget for all lookups, ms. */
  get deadlineMs(): number {
    return this.config.deadlineMs;
  }

  /** Ends every lookup now; they report 'timeout' with `reason`. Idempotent. */
  abort(reason: string): void {
    if (this.controller.signal.aborted) return;
    this.abortReason = reason;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.controller.abort();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private startDeadline(): void {
    if (this.deadlineTimer !== null || this.controller.signal.aborted) return;
    const ms = this.config.deadlineMs;
    // unref: the deadline alone must not keep the process alive after the last lookup.
    this.deadlineTimer = setTimeout(() => {
      if (!this.controller.signal.aborted) this.deadlinePassed = true;
      this.abort(`overall DNS deadline of ${ms} ms reached`);
    }, ms);
    this.deadlineTimer.unref();
  }

  /**
   * glibc order: each round tries every server (from the rotation point),
   * moving on after a timeout, SERVFAIL, REFUSED or unusable answer; stops at
   * the first NOERROR or NXDOMAIN.
   */
  private async askServers(name: string, type: RecordType): Promise<Asked> {
    const { servers, attempts, rotate } = this.config;
    const start = rotate ? this.rotation++ % servers.length : 0;
    const tried: Attempt[] = [];
    for (let round = 0; round < attempts; round++) {
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(start + i) % servers.length] as ServerAddress;
        const label = formatServer(server);
        if (this.controller.signal.aborted) return this.abortedFailure(tried, label);
        const outcome = await this.askServer(server, name, type);
        if (outcome.kind === 'answer') return { kind: 'answer', response: outcome.response, server: label };
        if (outcome.kind === 'aborted') return this.abortedFailure(tried, label);
        tried.push({ server: label, status: outcome.status, message: outcome.message });
      }
    }
    return summarize(tried);
  }

  private abortedFailure(tried: Attempt[], server: string): Asked {
    const before = tried.length > 0 ? ` (before that: ${describeAttempts(tried)})` : '';
    return { kind: 'failure', status: 'timeout', message: `${this.abortReason ?? 'aborted'}${before}`, server };
  }

  /** One server: UDP with EDNS, TCP if truncated, once more without EDNS on FORMERR. */
  private async askServer(
    server: ServerAddress,
    name: string,
    type: RecordType,
  ): Promise<
    { kind: 'answer'; response: Response } | { kind: 'aborted' } | { kind: 'failed'; status: Attempt['status']; message: string }
  > {
    let edns = true;
    for (;;) {
      const udpQuery = buildQuery(name, type, edns);
      let exchange = await this.withSlot(() =>
        exchangeUdp(server, udpQuery.bytes, udpQuery.question, this.config.timeoutMs, this.controller.signal),
      );
      if (exchange.kind === 'response' && exchange.response.truncated) {
        // RFC 7766 §5: a truncated answer is retried over TCP, and only the TCP answer is used.
        const tcpQuery = buildQuery(name, type, edns);
        exchange = await this.withSlot(() =>
          exchangeTcp(server, tcpQuery.bytes, tcpQuery.question, this.config.timeoutMs, this.controller.signal),
        );
        if (exchange.kind === 'failed')
          return { kind: 'failed', status: 'error', message: `answer truncated over UDP; ${exchange.message}` };
        if (exchange.kind === 'timeout' && exchange.ignored.count === 0) {
          return {
            kind: 'failed',
            status: 'timeout',
            message: `answer truncated over UDP; no TCP answer within ${this.config.timeoutMs} ms`,
          };
        }
      }
      if (exchange.kind === 'aborted') return exchange;
      if (exchange.kind === 'failed') return { kind: 'failed', status: 'error', message: exchange.message };
      if (exchange.kind === 'timeout') {
        const { ignored } = exchange;
        if (ignored.count > 0 && ignored.onlyUndecodable) {
          return { kind: 'failed', status: 'error', message: `only unusable answers: ${ignored.lastReason}` };
        }
        const extra =
          ignored.count > 0 ? ` (ignored ${ignored.count} mismatched answer${ignored.count > 1 ? 's' : ''}: ${ignored.lastReason})` : '';
        return { kind: 'failed', status: 'timeout', message: `no answer within ${this.config.timeoutMs} ms${extra}` };
      }
      const { rcode } = exchange.response;
      if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') return { kind: 'answer', response: exchange.response };
      // RFC 6891 §7: a FORMERR to a query with OPT may mean the server does not speak EDNS.
      if (rcode === 'FORMERR' && edns) {
        edns = false;
        continue;
      }
      if (rcode === 'SERVFAIL') return { kind: 'failed', status: 'servfail', message: 'SERVFAIL' };
      if (rcode === 'REFUSED') return { kind: 'failed', status: 'refused', message: 'REFUSED' };
      return { kind: 'failed', status: 'error', message: `answered ${rcode}` };
    }
  }

  /** Bounds the sockets open at once; waits for a free slot unless aborted. */
  private async withSlot(run: () => Promise<Exchange>): Promise<Exchange> {
    while (this.inFlight >= this.config.maxInFlight) {
      if (this.controller.signal.aborted) return { kind: 'aborted' };
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
    if (this.controller.signal.aborted) return { kind: 'aborted' };
    this.inFlight++;
    try {
      return await run();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}

/** All servers failed: report the most telling status and what each server did. */
function summarize(tried: Attempt[]): Asked {
  const last = tried[tried.length - 1];
  // An answer (SERVFAIL, REFUSED, garbage) says more than silence; prefer the last one seen.
  const telling = [...tried].reverse().find((t) => t.status !== 'timeout') ?? last;
  return {
    kind: 'failure',
    status: telling?.status ?? 'timeout',
    message: describeAttempts(tried),
    server: telling?.server ?? null,
  };
}

/** "127.0.0.1:53: SERVFAIL; [::1]:53: no answer within 2500 ms (2 tries)". */
function describeAttempts(tried: Attempt[]): string {
  const byServer = new Map<string, { message: string; count: number }>();
  for (const t of tried) {
    const seen = byServer.get(t.server);
    if (seen && seen.message === t.message) seen.count++;
    else byServer.set(t.server, { message: t.message, count: 1 });
  }
  return [...byServer].map(([server, { message, count }]) => `${server}: ${message}${count > 1 ? ` (${count} tries)` : ''}`).join('; ');
}
