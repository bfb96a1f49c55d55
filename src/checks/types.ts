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

import type { LookupStatus, RecordType } from '../dns/types.js';

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

/**
 * One thing seen in DNS: a record (status 'ok', with value and TTL), or a
 * lookup that found none (NXDOMAIN, NODATA) or got no answer (timeout,
 * SERVFAIL, REFUSED, error). Untrusted: render through the sanitiser.
 */
export interface Evidence {
  name: string;
  type: RecordType;
  /**
   * The record's data as in a zone file: "10 mx.example.com" (MX), an
   * address, a target name; for TXT the character-strings joined (as SPF and
   * DMARC read them). Null when the lookup found no record.
   */
  value: string | null;
  /** For TXT: the record's character-strings as published. */
  strings?: string[];
  /** Seconds; null when unknown (a CNAME link the resolver followed) or no record. */
  ttl: number | null;
  status: LookupStatus;
  /** For a lookup without answer: what went wrong and where ("127.0.0.1:53: REFUSED"). */
  detail?: string;
}

/** One DNS-querying SPF term (RFC 7208 §4.6.4): each counts one lookup, so the rows add up to the total. */
export interface SpfLookupRow {
  /** 0 for the checked domain's own record, 1 for a term inside its first include, … */
  depth: number;
  /** The record that holds the term. */
  record: string;
  /** The term as written: "include:spf.protection.outlook.com", "a", "mx:mail.example.com", "redirect=…". */
  term: string;
  /** Lookups this term counts: always 1. */
  lookups: number;
  /** True when its DNS query found nothing (a void lookup, limit 2). */
  void: boolean;
  /** Why something was not followed or is broken ("no SPF record", "holds macros …"), else null. */
  note: string | null;
}

export interface SpfLookupBreakdown {
  rows: SpfLookupRow[];
  /** The sum of the rows' lookups. */
  total: number;
  voidLookups: number;
  limit: number;
  voidLimit: number;
}

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line. */
  message: string;
  /** The records (or failed lookups) the verdict rests on. */
  evidence: Evidence[];
  /** spf-lookups only: every DNS-querying term of the SPF tree. */
  spfLookups?: SpfLookupBreakdown;
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
