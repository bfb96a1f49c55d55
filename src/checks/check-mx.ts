import type { LookupResult } from '../dns/types.js';
import { couldNotAsk, isUnanswered, isVoid, lookupEvidence, recordEvidence, uniqueEvidence, type Asker } from './ask.js';
import { stripDot } from './domain.js';
import { FIXES, fixFor, KB_MX, KB_NO_DOMAIN, KB_NULL_MX } from './fixes.js';
import { classifyMxHost, isMicrosoftMx, judgeMxHost } from './mx.js';
import { notChecked, result, worst } from './result.js';
import type { CheckResult, CheckStatus, Evidence } from './types.js';

interface MxHost {
  priority: number;
  host: string;
}

/**
 * mx-records, mx-count, mx-target and mx-resolves from the domain's MX
 * answer (round `round`) and each host's A/AAAA answers (round `round` + 1).
 */
export async function checkMx(domain: string, mxLookup: Promise<LookupResult>, asker: Asker, round: number): Promise<CheckResult[]> {
  const mx = await mxLookup;
  const evidence = lookupEvidence(mx);
  if (isUnanswered(mx)) {
    const why = couldNotAsk(mx);
    return (['mx-records', 'mx-count', 'mx-target', 'mx-resolves'] as const).map((id) => notChecked(id, why, evidence));
  }
  const hosts: MxHost[] = mx.records
    .flatMap((r) => (r.type === 'MX' ? [{ priority: r.priority, host: stripDot(r.exchange) }] : []))
    .sort((a, b) => a.priority - b.priority);
  // RFC 7505 §3: a null MX is a single record "0 ."; a "." next to real hosts is just as broken.
  const nullMx = hosts.some((h) => h.host === '' || h.host === '.');

  let missing: string | null = null;
  if (mx.status === 'nxdomain') missing = `${domain} does not exist (NXDOMAIN), so no mail can be delivered to it`;
  else if (hosts.length === 0) missing = `${domain} has no MX record; Exchange Online needs one to receive mail`;
  else if (nullMx) missing = `${domain} has a null MX ("MX 0 ."): it says it accepts no mail at all (RFC 7505)`;
  if (missing !== null) {
    const short = mx.status === 'nxdomain' ? 'the domain does not exist' : nullMx ? 'null MX' : 'no MX record';
    return [
      result(
        'mx-records',
        'fail',
        missing,
        evidence,
        fixFor('mx-records', { kb: mx.status === 'nxdomain' ? KB_NO_DOMAIN : nullMx ? KB_NULL_MX : KB_MX }),
      ),
      result('mx-count', 'fail', `${short}; see mx-records`, evidence, null),
      result('mx-target', 'fail', `${short}, so mail cannot reach Exchange Online; see mx-records`, evidence, null),
      result('mx-resolves', 'fail', `${short}: no MX host to look up; see mx-records`, evidence, null),
    ];
  }

  const records = result('mx-records', 'pass', `${hosts.length} MX record${hosts.length === 1 ? '' : 's'}`, evidence, null);
  const resolves = await checkResolves(hosts, asker, round + 1);
  return [records, countCheck(domain, hosts, evidence), targetCheck(domain, hosts, evidence), resolves];
}

function countCheck(domain: string, hosts: MxHost[], evidence: Evidence[]): CheckResult {
  if (hosts.length === 1) return result('mx-count', 'pass', 'exactly one MX record', evidence, null);
  const classes = hosts.map((h) => classifyMxHost(h.host, domain));
  const microsoft = classes.filter(isMicrosoftMx).length;
  const n = hosts.length;
  if (microsoft === n) {
    return result(
      'mx-count',
      'warn',
      `${n} MX records, all at Microsoft: expected only while moving to the mx.microsoft form; delete the old record when the move is done`,
      evidence,
      fixFor('mx-count', { steps: [...FIXES['mx-count'].steps].reverse() }),
    );
  }
  if (microsoft > 0) {
    return result(
      'mx-count',
      'fail',
      `${n} MX records, ${n - microsoft} of them not at Exchange Online: Microsoft does not support more than one MX for a domain in Exchange Online, and mail that reaches the other host${n - microsoft === 1 ? '' : 's'} bypasses it`,
      evidence,
      fixFor('mx-count', { steps: FIXES['mx-count'].steps.slice(0, 1) }),
    );
  }
  return result(
    'mx-count',
    'warn',
    `${n} MX records, none at Exchange Online: Microsoft's one-MX rule is for MX records that point at Exchange Online; several hosts are normal for a filtering service that passes mail on`,
    evidence,
    fixFor('mx-count', {
      steps: [
        'Nothing to change if these hosts belong to a filtering service (or your own servers) that passes mail on to Exchange Online.',
        'If mail should go straight to Exchange Online, replace all of them with the one MX record the Microsoft 365 admin center shows.',
      ],
    }),
  );
}

function targetCheck(domain: string, hosts: MxHost[], evidence: Evidence[]): CheckResult {
  const verdicts = hosts.map((h) => judgeMxHost(h.host, domain));
  const status = worst(verdicts.map((v) => v.status));
  const chosen = verdicts.find((v) => v.status === status)!;
  const others =
    verdicts.length > 1 && status !== 'pass' ? ` (${verdicts.filter((v) => v.status !== 'pass').length} of ${verdicts.length} hosts)` : '';
  const message =
    verdicts.length > 1 && status === 'pass' ? `all ${verdicts.length} MX hosts are Exchange Online` : `${chosen.message}${others}`;
  return result('mx-target', status, message, evidence, fixFor('mx-target'));
}

interface HostVerdict {
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}

async function resolveHost(host: string, asker: Asker, round: number): Promise<HostVerdict> {
  const c = classifyMxHost(host, '');
  if (c.kind === 'ip-literal') {
    return {
      status: 'warn',
      message: `${host} is an IP address; an MX must name a host (RFC 1035 §3.3.9), and senders will look "${host}" up as a name`,
      evidence: [],
    };
  }
  const [a, aaaa] = await Promise.all([asker.ask(host, 'A', round), asker.ask(host, 'AAAA', round)]);
  const evidence = uniqueEvidence([...lookupEvidence(a), ...lookupEvidence(aaaa)]);
  const addresses = [...a.records, ...aaaa.records].filter((r) => r.type === 'A' || r.type === 'AAAA');
  const alias = a.cnameChain.length > 0 || aaaa.cnameChain.length > 0;
  if (addresses.length > 0) {
    if (alias)
      return { status: 'warn', message: `${host} is a CNAME alias; an MX must point at the host's own name (RFC 2181 §10.3)`, evidence };
    return { status: 'pass', message: `${host} resolves`, evidence: addresses.map(recordEvidence) };
  }
  if (a.status === 'nxdomain' || (isVoid(a) && isVoid(aaaa))) {
    return {
      status: 'fail',
      message: `${host} has no A or AAAA record (${a.status === 'nxdomain' ? 'NXDOMAIN' : 'NODATA'}), so mail cannot be delivered to it`,
      evidence,
    };
  }
  const failed = isUnanswered(a) ? a : aaaa;
  return { status: 'error', message: couldNotAsk(failed), evidence };
}

async function checkResolves(hosts: MxHost[], asker: Asker, round: number): Promise<CheckResult> {
  const unique = [...new Set(hosts.map((h) => h.host.toLowerCase()))];
  const verdicts = await Promise.all(unique.map((h) => resolveHost(h, asker, round)));
  const status = worst(verdicts.map((v) => v.status));
  const evidence = verdicts.flatMap((v) => v.evidence);
  if (status === 'pass') {
    return result(
      'mx-resolves',
      'pass',
      unique.length === 1 ? `${unique[0]} has an address` : `all ${unique.length} MX hosts have addresses`,
      evidence,
      null,
    );
  }
  // The worst verdict first, then every other host that does not pass.
  const bad = verdicts.filter((v) => v.status !== 'pass').sort((x, y) => (x.status === status ? 0 : 1) - (y.status === status ? 0 : 1));
  const message = bad.map((v) => v.message).join('; ');
  if (status === 'error') return notChecked('mx-resolves', message, evidence);
  return result('mx-resolves', status, message, evidence, fixFor('mx-resolves'));
}
