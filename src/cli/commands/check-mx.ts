import type { CheckProgress, CheckReport } from '../../checks/types.js';
import { renderCheckReport } from '../../render/checks-text.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { makeContext, type GlobalOptions } from '../context.js';
import { resolverSettings, type DnsFlags } from '../dns-options.js';
import { EXIT } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';

export interface CheckMxOptions extends GlobalOptions, DnsFlags {}

/** 2: evidence as records ({name, type, value, ttl, status}) and spf-lookups' breakdown as rows. */
export const CHECK_MX_SCHEMA_VERSION = 2;

/** What ndr says when the overall DNS deadline cut the checks short (check-mx, explain --check). */
export function deadlineLine(deadlineMs: number, reports: { unanswered: number; queries: number }[]): string {
  const unanswered = reports.reduce((n, r) => n + r.unanswered, 0);
  const queries = reports.reduce((n, r) => n + r.queries, 0);
  return `ndr: stopped at the overall DNS deadline of ${deadlineMs / 1000} s (--deadline): ${unanswered} of ${queries} lookups got no answer, so the results are incomplete`;
}

/** The documented JSON document (README, "ndr check-mx --json"). */
export function checkReportJson(report: CheckReport) {
  return {
    schemaVersion: CHECK_MX_SCHEMA_VERSION,
    domain: report.domain,
    nameservers: report.nameservers,
    checks: report.checks.map((c) => ({ id: c.id, status: c.status, message: c.message, evidence: c.evidence, ...(c.spfLookups ? { spfLookups: c.spfLookups } : {}), fix: c.fix })),
    elapsedMs: report.elapsedMs,
    rounds: report.rounds,
    queries: report.queries,
    unanswered: report.unanswered,
  };
}

export async function runCheckMx(domainArg: string, opts: CheckMxOptions, io: CliIo): Promise<number> {
  const ctx = await makeContext(io, opts);
  // The DNS client and the checks load only for this command.
  const [{ createResolver, normalizeDomain }, { runChecks, reportOutcome, unreachableReason }] = await Promise.all([import('../../dns/index.js'), import('../../checks/run.js')]);
  const domain = normalizeDomain(domainArg);
  const settings = resolverSettings(opts);
  const resolver = await createResolver(settings);

  // Progress only for a person at a terminal, on stderr, never in --json.
  const showProgress = Boolean(io.stderr.isTTY) && !ctx.json;
  // One row, cut to the terminal's width: a wrapped row would not be cleared.
  const columns = (io.stderr as { columns?: number }).columns ?? 80;
  const onProgress = showProgress
    ? (p: CheckProgress) => io.stderr.write(`\r\x1b[K${`checking ${domain}: ${p.answered}/${p.queries} answers (round ${p.round})`.slice(0, Math.max(20, columns - 1))}`)
    : undefined;
  const report = await runChecks(domain, resolver, onProgress ? { onProgress } : {});
  if (showProgress) io.stderr.write('\r\x1b[K');

  const outcome = reportOutcome(report);
  if (ctx.json) writeLine(io.stdout, safeJson(checkReportJson(report), 2));
  // Nothing answered: the one line on stderr below says it all.
  else if (outcome !== 'unreachable') writeLine(io.stdout, renderCheckReport(report, { style: ctx.style, width: ctx.width }));

  // The overall deadline cut lookups short: whatever else the report says, it is incomplete.
  if (resolver.deadlineReached) {
    writeLine(io.stderr, deadlineLine(resolver.deadlineMs, [report]));
    return EXIT.temporary;
  }
  switch (outcome) {
    case 'unreachable':
      writeLine(io.stderr, `ndr: nothing could be checked: ${sanitize(unreachableReason(report))}`);
      return EXIT.temporary;
    case 'failed':
      return EXIT.notFound;
    case 'ok':
      return EXIT.ok;
  }
}

