import type { Resolver } from '../dns/types.js';
import { Asker } from './ask.js';
import { checkAutodiscover, checkDkim } from './check-cnames.js';
import { checkDmarc } from './check-dmarc.js';
import { checkMx } from './check-mx.js';
import { checkSpf } from './check-spf.js';
import { stripDot } from './domain.js';
import { CHECK_IDS, type CheckProgress, type CheckReport, type CheckResult } from './types.js';

export interface RunChecksOptions {
  onProgress?: (p: CheckProgress) => void;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

/**
 * Runs every check for `domain` (lower-case A-labels, as src/domain/name.ts normalizeDomain
 * returns it) against the injected resolver. The lookups form a tree and
 * every level is asked at once: round 1 asks MX, TXT, _dmarc TXT, both DKIM
 * CNAMEs and the autodiscover CNAME; round 2 the MX hosts' addresses and the
 * SPF includes (with spfd.protection.outlook.com, which Exchange Online's own
 * record includes, asked ahead: see KNOWN_INCLUDES in spf.ts); deeper rounds
 * only deeper includes. A correct domain takes two rounds.
 */
export async function runChecks(domain: string, resolver: Resolver, options: RunChecksOptions = {}): Promise<CheckReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const name = stripDot(domain).toLowerCase();
  const asker = new Asker(resolver, options.onProgress);

  // Round 1, all at once.
  const mx = asker.ask(name, 'MX', 1);
  asker.ask(name, 'TXT', 1); // evaluateSpf picks this answer up from the asker
  const dmarc = asker.ask(`_dmarc.${name}`, 'TXT', 1);
  const dkim1 = asker.ask(`selector1._domainkey.${name}`, 'CNAME', 1);
  const dkim2 = asker.ask(`selector2._domainkey.${name}`, 'CNAME', 1);
  const autodiscover = asker.ask(`autodiscover.${name}`, 'CNAME', 1);

  const groups = await Promise.all([
    checkMx(name, mx, asker, 1),
    checkSpf(name, asker, 1),
    checkDmarc(name, dmarc, asker, 1).then((r) => [r]),
    checkDkim(name, dkim1, dkim2, asker, 1).then((r) => [r]),
    checkAutodiscover(name, autodiscover).then((r) => [r]),
  ]);
  const byId = new Map(groups.flat().map((r) => [r.id, r]));
  const checks: CheckResult[] = CHECK_IDS.map((id) => byId.get(id)!);

  return {
    domain: name,
    nameservers: asker.servers,
    checks,
    rounds: asker.rounds,
    queries: asker.queries,
    unanswered: asker.unanswered,
    elapsedMs: Math.round(now() - started),
  };
}

export { reportOutcome, unreachableReason, type ReportOutcome } from './outcome.js';
