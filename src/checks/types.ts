/**
 * The shapes `ndr check-mx` produces. Checks are pure domain logic over an
 * injected Resolver (src/dns/types.ts); rendering lives in src/render/.
 */

/** The stable check ids, in the order they are reported. */
export const CHECK_IDS = [
  'mx-records',
  'mx-count',
  'mx-target',
  'mx-resolves',
  'spf-record',
  'spf-eop',
  'spf-lookups',
  'spf-all',
  'dmarc',
  'dkim',
  'autodiscover',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** `error` means "could not check" (a lookup timed out, SERVFAIL, REFUSED), never "absent". */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error';

export interface CheckFix {
  /** What to do, in order. */
  steps: string[];
  /** A knowledge-base entry (`ndr explain <id>` / `ndr codes <id>`) about the bounces this causes. */
  kb: string | null;
  /** Microsoft or RFC pages to read. */
  docs: string[];
}

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line. */
  message: string;
  /**
   * The records (or failed lookups) the verdict rests on, one per line, as
   * seen in DNS. Untrusted: render through the sanitiser.
   */
  evidence: string[];
  /** Null when the check passes. */
  fix: CheckFix | null;
}

export interface CheckReport {
  /** The domain checked (lower-case A-labels). */
  domain: string;
  /** The servers asked, "ip:port". */
  nameservers: string[];
  checks: CheckResult[];
  /** Sequential rounds of lookups (each round is one batch asked at once). */
  rounds: number;
  /** DNS questions asked (each distinct name and type once). */
  queries: number;
  /** Questions that got no usable answer (timeout, REFUSED, SERVFAIL, network error). */
  unanswered: number;
  elapsedMs: number;
}

/** Progress events for a caller that wants to show something while lookups run. */
export interface CheckProgress {
  round: number;
  queries: number;
  answered: number;
}
