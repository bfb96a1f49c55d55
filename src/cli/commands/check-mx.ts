import type { CheckProgress } from '../../checks/types.js';
import { checkReportJson } from '../../render/check-json.js';
import { deadlineMessage, renderCheckReport } from '../../render/checks-text.js';
import { safeJson } from '../../render/sanitize.js';
import { makeContext, type GlobalOptions } from '../context.js';
import { dnsSettings, type DnsFlags, type ResolverSettings } from '../dns-options.js';
import type { CommandResult } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';

export interface CheckMxOptions extends GlobalOptions, DnsFlags {}

/** What `ndr check-mx` runs with, every option checked before the first lookup. */
interface CheckMxSettings {
  global: GlobalOptions;
  domain: string;
  dns: ResolverSettings;
}

async function checkMxSettings(domainArg: string, opts: CheckMxOptions): Promise<CheckMxSettings> {
  const { normalizeDomain } = await import('../../domain/name.js');
  const domain = normalizeDomain(domainArg);
  return { global: { json: opts.json, color: opts.color }, domain, dns: await dnsSettings(opts) };
}

export async function runCheckMx(domainArg: string, opts: CheckMxOptions, io: CliIo): Promise<CommandResult> {
  const settings = await checkMxSettings(domainArg, opts);
  const ctx = await makeContext(io, settings.global);
  // The DNS client and the checks load only for this command.
  const [{ createResolver }, { runChecks, reportOutcome, unreachableReason }] = await Promise.all([
    import('../../dns/index.js'),
    import('../../checks/run.js'),
  ]);
  const { domain } = settings;
  const resolver = await createResolver(settings.dns);

  // Progress only for a person at a terminal, on stderr, never in --json.
  const showProgress = Boolean(io.stderr.isTTY) && !ctx.json;
  // One row, cut to the terminal's width: a wrapped row would not be cleared.
  const columns = (io.stderr as { columns?: number }).columns ?? 80;
  const onProgress = showProgress
    ? (p: CheckProgress) =>
        io.stderr.write(
          `\r\x1b[K${`checking ${domain}: ${p.answered}/${p.queries} answers (round ${p.round})`.slice(0, Math.max(20, columns - 1))}`,
        )
    : undefined;
  const report = await runChecks(domain, resolver, onProgress ? { onProgress } : {});
  if (showProgress) io.stderr.write('\r\x1b[K');

  const outcome = reportOutcome(report);
  if (ctx.json) writeLine(io.stdout, safeJson(checkReportJson(report), 2));
  // Nothing answered: the one line on stderr below says it all.
  else if (outcome !== 'unreachable') writeLine(io.stdout, renderCheckReport(report, { style: ctx.style, width: ctx.width }));

  // The overall deadline cut lookups short: whatever else the report says, it is incomplete.
  if (resolver.deadlineReached) return { exit: 'temporary', message: deadlineMessage(resolver.deadlineMs, [report]) };
  switch (outcome) {
    case 'unreachable':
      return { exit: 'temporary', message: `nothing could be checked: ${unreachableReason(report)}` };
    case 'failed':
      return { exit: 'checkFailed' };
    case 'ok':
      return { exit: 'ok' };
  }
}
