import type { LookupResult } from '../dns/types.js';
import { couldNotAsk, isUnanswered, lookupEvidence, type Asker } from './ask.js';
import { isDmarcRecord, parseDmarc, type ParsedDmarc } from './dmarc.js';
import { parentDomains } from './domain.js';
import { fixFor } from './fixes.js';
import { notChecked, result } from './result.js';
import type { CheckResult, Evidence } from './types.js';

function dmarcTexts(r: LookupResult): string[] {
  return r.records.flatMap((rec) => (rec.type === 'TXT' && isDmarcRecord(rec.text) ? [rec.text] : []));
}

/**
 * dmarc: one record at _dmarc.<domain>. Without one, a subdomain falls back
 * to the nearest parent's record (RFC 7489 §6.6.3 organisational domain; the
 * DMARCbis tree walk), asked for all parents at once in the next round.
 */
export async function checkDmarc(domain: string, lookup: Promise<LookupResult>, asker: Asker, round: number): Promise<CheckResult> {
  const own = await lookup;
  const evidence = lookupEvidence(own);
  if (isUnanswered(own)) return notChecked('dmarc', couldNotAsk(own), evidence);
  const texts = dmarcTexts(own);
  if (texts.length > 1) {
    return result(
      'dmarc',
      'fail',
      `${texts.length} DMARC records at _dmarc.${domain}: receivers apply no policy at all`,
      evidence,
      fixFor('dmarc'),
    );
  }
  if (texts.length === 1) return judge(texts[0]!, null, evidence);

  const parents = parentDomains(domain);
  const answers = await Promise.all(parents.map((p) => asker.ask(`_dmarc.${p}`, 'TXT', round + 1)));
  for (const [i, answer] of answers.entries()) {
    if (isUnanswered(answer)) {
      return notChecked('dmarc', `no record at _dmarc.${domain}, and ${couldNotAsk(answer)}`, [...evidence, ...lookupEvidence(answer)]);
    }
    const found = dmarcTexts(answer);
    if (found.length === 1) return judge(found[0]!, parents[i]!, [...evidence, ...lookupEvidence(answer)]);
    if (found.length > 1) {
      return result(
        'dmarc',
        'fail',
        `no record at _dmarc.${domain}, and ${found.length} records at _dmarc.${parents[i]}: receivers apply no policy`,
        [...evidence, ...lookupEvidence(answer)],
        fixFor('dmarc'),
      );
    }
  }
  return result(
    'dmarc',
    'fail',
    `no DMARC record at _dmarc.${domain}: receivers cannot tell what to do with mail that fails SPF and DKIM`,
    evidence,
    fixFor('dmarc'),
  );
}

function judge(text: string, inheritedFrom: string | null, evidence: Evidence[]): CheckResult {
  const d: ParsedDmarc = parseDmarc(text);
  const from = inheritedFrom ? ` (inherited from _dmarc.${inheritedFrom})` : '';
  if (!d.valid) return result('dmarc', 'fail', `the DMARC record${from} has errors: ${d.errors.join('; ')}`, evidence, fixFor('dmarc'));
  // A parent's record covers its subdomains with sp= when given (RFC 7489 §6.3).
  const policy = inheritedFrom ? (d.subdomainPolicy ?? d.policy) : d.policy;
  const notes = d.warnings.length ? ` (${d.warnings.join('; ')})` : '';
  if (policy === 'none') {
    return result(
      'dmarc',
      'warn',
      `DMARC record${from} with p=none: reports only; mail that fails is still delivered${notes}`,
      evidence,
      fixFor('dmarc'),
    );
  }
  return result(
    'dmarc',
    'pass',
    `DMARC record${from} with ${inheritedFrom && d.subdomainPolicy ? 'sp' : 'p'}=${policy}${notes}`,
    evidence,
    null,
  );
}
