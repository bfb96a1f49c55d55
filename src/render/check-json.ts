import type { CheckReport } from '../checks/types.js';

/** 2: evidence as records ({name, type, value, ttl, status}) and spf-lookups' breakdown as rows. */
export const CHECK_MX_SCHEMA_VERSION = 2;

/** The documented JSON document of one domain's checks (README, "ndr check-mx --json"; also explain --check's checkReports). */
export function checkReportJson(report: CheckReport) {
  return {
    schemaVersion: CHECK_MX_SCHEMA_VERSION,
    domain: report.domain,
    nameservers: report.nameservers,
    checks: report.checks.map((c) => ({
      id: c.id,
      status: c.status,
      message: c.message,
      evidence: c.evidence,
      ...(c.spfLookups ? { spfLookups: c.spfLookups } : {}),
      fix: c.fix,
    })),
    elapsedMs: report.elapsedMs,
    rounds: report.rounds,
    queries: report.queries,
    unanswered: report.unanswered,
  };
}
