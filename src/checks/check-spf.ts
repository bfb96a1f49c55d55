import { couldNotAsk, lookupEvidence, MAX_QUERIES, overQueryCap, type Asker } from './ask.js';
import { fixFor } from './fixes.js';
import { notChecked, result } from './result.js';
import { spfLookupBreakdown } from './spf-lookups.js';
import { SPF_MAX_LOOKUPS, SPF_MAX_RECORD_LENGTH, SPF_MAX_VOID_LOOKUPS } from './spf-record.js';
import { evaluateSpf, SPF_MAX_DEPTH, SPF_MAX_RECORDS, type SpfEvaluation } from './spf-tree.js';
import type { CheckResult, Evidence } from './types.js';

const SPF_IDS = ['spf-record', 'spf-eop', 'spf-lookups', 'spf-all'] as const;

/** spf-record, spf-eop, spf-lookups and spf-all from one walk of the SPF tree. */
export async function checkSpf(domain: string, asker: Asker, round: number): Promise<CheckResult[]> {
  const e = await evaluateSpf(domain, asker, round);
  const root = e.root;
  const rootLookup = root.lookup!;
  const txt = lookupEvidence(rootLookup);
  // The SPF records when there are any, else every TXT record (a near-miss such as "spf1 …" shows up).
  const spfRecords = txt.filter(isSpfEvidence);
  const recordEvidence = spfRecords.length ? spfRecords : txt;

  if (root.status === 'unanswered') {
    const why = couldNotAsk(rootLookup);
    return SPF_IDS.map((id) => notChecked(id, why, recordEvidence));
  }
  if (root.status === 'none' || root.status === 'multiple') {
    const message =
      root.status === 'none'
        ? `no SPF record: no TXT record at ${domain} starts with "v=spf1"`
        : `${root.records.length} SPF records: every receiver treats that as a permanent error (RFC 7208 §4.5)`;
    const short = root.status === 'none' ? 'no SPF record' : 'several SPF records';
    return [
      result('spf-record', 'fail', message, recordEvidence, fixFor('spf-record')),
      result('spf-eop', 'fail', `${short}, so mail sent through Exchange Online does not pass SPF; see spf-record`, recordEvidence, null),
      result('spf-lookups', 'fail', `${short} to evaluate; see spf-record`, recordEvidence, null),
      result('spf-all', 'fail', `${short}, so there is no "all" term; see spf-record`, recordEvidence, null),
    ];
  }
  return [recordCheck(e, recordEvidence), eopCheck(e, recordEvidence), lookupsCheck(e), allCheck(e)];
}

function recordCheck(e: SpfEvaluation, evidence: Evidence[]): CheckResult {
  const parsed = e.root.parsed!;
  const text = e.root.records[0]!;
  if (!parsed.valid) {
    return result(
      'spf-record',
      'fail',
      `the SPF record has ${parsed.errors.length === 1 ? 'an error' : `${parsed.errors.length} errors`}: ${parsed.errors.join('; ')}`,
      evidence,
      fixFor('spf-record'),
    );
  }
  if (text.length > SPF_MAX_RECORD_LENGTH) {
    return result(
      'spf-record',
      'warn',
      `one SPF record, but it is ${text.length} characters long; keep it under ${SPF_MAX_RECORD_LENGTH} so DNS answers fit in 512 octets (RFC 7208 §3.4)`,
      evidence,
      fixFor('spf-record'),
    );
  }
  return result('spf-record', 'pass', 'exactly one SPF record', evidence, null);
}

function eopCheck(e: SpfEvaluation, evidence: Evidence[]): CheckResult {
  if (e.eop) {
    const via = e.eop.path.length > 2 ? ` (through ${e.eop.path.slice(1, -1).join(' -> ')})` : '';
    return result('spf-eop', 'pass', `Exchange Online may send for the domain: include:${e.eop.domain} is reached${via}`, evidence, null);
  }
  if (e.unanswered.length) {
    return notChecked(
      'spf-eop',
      `include:spf.protection.outlook.com was not found, but part of the SPF tree could not be fetched: ${couldNotAsk(e.unanswered[0]!)}`,
      [...evidence, ...e.unanswered.flatMap(lookupEvidence)],
    );
  }
  if (e.notFollowed.length) {
    return result(
      'spf-eop',
      'warn',
      `include:spf.protection.outlook.com was not found; ${e.notFollowed.join(', ')} could not be followed (${e.overCap ? overCapWords : "macros need the sender's address"})`,
      evidence,
      fixFor('spf-eop'),
    );
  }
  return result(
    'spf-eop',
    'fail',
    'include:spf.protection.outlook.com is not in the SPF record or its includes, so mail sent through Exchange Online fails SPF',
    evidence,
    fixFor('spf-eop'),
  );
}

function isSpfEvidence(e: Evidence): boolean {
  return e.type === 'TXT' && e.value !== null && /^v=spf1(?: |$)/i.test(e.value);
}

/** spf-lookups carries the per-term breakdown. */
function withBreakdown(e: SpfEvaluation) {
  const spfLookups = spfLookupBreakdown(e);
  return (r: CheckResult): CheckResult => ({ ...r, spfLookups });
}

const overCapWords = `ndr follows at most ${SPF_MAX_RECORDS} SPF records, ${SPF_MAX_DEPTH} includes deep`;

function lookupsCheck(e: SpfEvaluation): CheckResult {
  const checked = withBreakdown(e);
  // The breakdown (spfLookups) is the evidence of the count; lookups that got no answer are shown as well.
  const evidence = e.unanswered.flatMap(lookupEvidence);
  const incomplete = e.unanswered.length > 0 || e.notFollowed.length > 0;
  const atLeast = incomplete ? 'at least ' : '';
  const problems: string[] = [];
  // These are proven by what was fetched; a missing branch can only add to them.
  // Say which of ndr's own caps stopped the walk, so "at least" is not a mystery.
  const caps = [
    ...(e.overCap ? [overCapWords] : []),
    ...(e.unanswered.some(overQueryCap) ? [`ndr asks at most ${MAX_QUERIES} questions per check`] : []),
  ];
  const capNote = caps.length ? ` (${caps.join('; ')})` : '';
  if (e.lookups > SPF_MAX_LOOKUPS) problems.push(`${atLeast}${e.lookups} DNS lookups, over the limit of ${SPF_MAX_LOOKUPS}${capNote}`);
  if (e.voidLookups > SPF_MAX_VOID_LOOKUPS)
    problems.push(`${atLeast}${e.voidLookups} void lookups, over the limit of ${SPF_MAX_VOID_LOOKUPS}`);
  for (const loop of e.loops) problems.push(`include loop ${loop}`);
  for (const b of e.brokenIncludes) if (!b.problem.startsWith('loop')) problems.push(`${b.term}: ${b.problem}`);
  if (problems.length) {
    return checked(
      result(
        'spf-lookups',
        'fail',
        `${problems.join('; ')}: receivers return a permanent error (RFC 7208 §4.6.4)`,
        evidence,
        fixFor('spf-lookups'),
      ),
    );
  }
  if (e.unanswered.length) {
    return checked(notChecked('spf-lookups', `${couldNotAsk(e.unanswered[0]!)}; counted ${e.lookups} DNS lookups so far`, evidence));
  }
  const counts = `${e.lookups} of ${SPF_MAX_LOOKUPS} DNS lookups, ${e.voidLookups} of ${SPF_MAX_VOID_LOOKUPS} void lookups`;
  if (e.notFollowed.length) {
    return checked(
      result('spf-lookups', 'warn', `at least ${counts}; not followed: ${e.notFollowed.join(', ')}`, evidence, fixFor('spf-lookups')),
    );
  }
  const ptr = e.warnings.filter((w) => w.includes('"ptr"'));
  if (ptr.length) return checked(result('spf-lookups', 'warn', `${counts}, but ${ptr[0]}`, evidence, fixFor('spf-lookups')));
  return checked(result('spf-lookups', 'pass', counts, evidence, null));
}

function allCheck(e: SpfEvaluation): CheckResult {
  const holder = (domain: string) => {
    const node = findNode(e, domain);
    return node?.lookup ? lookupEvidence(node.lookup).filter(isSpfEvidence) : [];
  };
  if (e.all) {
    const evidence = holder(e.all.domain);
    const where = e.all.domain === e.domain ? '' : ` (from redirect to ${e.all.domain})`;
    switch (e.all.qualifier) {
      case '-':
        return result('spf-all', 'pass', `ends with "-all"${where}: mail from other servers fails SPF`, evidence, null);
      case '~':
        return result('spf-all', 'pass', `ends with "~all"${where}: mail from other servers soft-fails SPF`, evidence, null);
      case '?':
        return result(
          'spf-all',
          'warn',
          `ends with "?all"${where}: neutral, meant for testing only; mail from anywhere gets no verdict`,
          evidence,
          fixFor('spf-all'),
        );
      case '+':
        return result(
          'spf-all',
          'fail',
          `ends with "+all"${where}: every server on the Internet may send as this domain`,
          evidence,
          fixFor('spf-all'),
        );
    }
  }
  const evidence = holder(e.domain);
  if (e.allUnknown) {
    const lost = e.unanswered[0];
    return notChecked(
      'spf-all',
      lost ? `the redirect target could not be fetched: ${couldNotAsk(lost)}` : 'the redirect target could not be fetched',
      evidence,
    );
  }
  return result(
    'spf-all',
    'warn',
    'no "all" term (and no redirect that has one): mail from other servers gets a neutral result',
    evidence,
    fixFor('spf-all'),
  );
}

function findNode(e: SpfEvaluation, domain: string) {
  const stack = [e.root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.domain === domain && n.lookup) return n;
    stack.push(...n.children);
  }
  return null;
}
