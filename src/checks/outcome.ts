/** What a check report amounts to; light, so renderers can use it without loading the checks. */
import { isUnanswered } from './ask.js';
import type { CheckReport } from './types.js';

export type ReportOutcome = 'ok' | 'failed' | 'unreachable';

/**
 * What the run amounts to: 'unreachable' when no question got an answer (every
 * query timed out or was refused: the DNS could not be asked), 'failed' when a
 * check failed, else 'ok' (warnings and single unanswered lookups included).
 */
export function reportOutcome(report: CheckReport): ReportOutcome {
  if (report.queries > 0 && report.unanswered === report.queries) return 'unreachable';
  if (report.checks.some((c) => c.status === 'fail')) return 'failed';
  return 'ok';
}

/**
 * Why nothing could be checked, in one line: what the servers did with the
 * questions ("127.0.0.1:53 answered REFUSED", "127.0.0.1:9: connection
 * refused (nothing listening) (2 tries)"), each distinct account once.
 */
export function unreachableReason(report: CheckReport): string {
  const reasons = new Map<string, number>();
  for (const c of report.checks) {
    for (const e of c.evidence)
      if (e.value === null && e.detail && isUnanswered(e)) reasons.set(e.detail, (reasons.get(e.detail) ?? 0) + 1);
  }
  const [first, ...rest] = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  if (!first) return `no answer from ${report.nameservers.join(', ') || 'any server'}`;
  return rest.length ? `${first} (and ${rest.length} other failure${rest.length === 1 ? '' : 's'})` : first;
}
