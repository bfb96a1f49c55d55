/** The domain checks behind `ndr check-mx`: pure, with the resolver injected. */
export { runChecks, reportOutcome, type ReportOutcome, type RunChecksOptions } from './run.js';
export { CHECK_IDS, type CheckId, type CheckStatus, type CheckResult, type CheckFix, type CheckReport, type CheckProgress } from './types.js';
export { parseSpf, evaluateSpf, isSpfRecord, type ParsedSpf, type SpfTerm, type SpfEvaluation, type SpfNode } from './spf.js';
export { parseDmarc, isDmarcRecord, type ParsedDmarc, type DmarcPolicy } from './dmarc.js';
export { exchangeOnlineKey, exchangeOnlineKeys, classifyMxHost, judgeMxHost, type MxHostClass } from './mx.js';
export { checkMxCommand, type CheckCommandInput } from './command.js';
export { toHostname } from './domain.js';
