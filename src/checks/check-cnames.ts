import type { LookupResult } from '../dns/types.js';
import { couldNotAsk, isUnanswered, isVoid, lookupEvidence, type Asker } from './ask.js';
import { stripDot } from './domain.js';
import { fixFor } from './fixes.js';
import { notChecked, result, worst } from './result.js';
import type { CheckResult, CheckStatus, Evidence } from './types.js';

/** Where a CNAME lookup points: the CNAME record's target, or the first link the resolver followed. */
export function cnameTarget(r: LookupResult): string | null {
  for (const rec of r.records) if (rec.type === 'CNAME') return stripDot(rec.target).toLowerCase();
  const first = r.cnameChain[0];
  return first ? stripDot(first).toLowerCase() : null;
}

/**
 * Microsoft's DKIM CNAME targets (dns-facts §1.5):
 * `selector1-<key>._domainkey.<tenant>.onmicrosoft.com` or `….<c>-v1.dkim.mail.microsoft`.
 */
export function isMicrosoftDkimTarget(target: string, selector: 'selector1' | 'selector2'): boolean {
  const t = stripDot(target).toLowerCase();
  return (
    t.startsWith(`${selector}-`) && t.includes('._domainkey.') && (t.endsWith('.onmicrosoft.com') || t.endsWith('.dkim.mail.microsoft'))
  );
}

interface SelectorVerdict {
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}

async function judgeSelector(
  selector: 'selector1' | 'selector2',
  domain: string,
  lookup: Promise<LookupResult>,
  asker: Asker,
  round: number,
): Promise<SelectorVerdict> {
  const r = await lookup;
  const evidence = lookupEvidence(r);
  if (isUnanswered(r)) return { status: 'error', message: couldNotAsk(r), evidence };
  const target = cnameTarget(r);
  if (target) {
    if (isMicrosoftDkimTarget(target, selector)) return { status: 'pass', message: `${selector} points at Microsoft`, evidence };
    return { status: 'warn', message: `${selector}._domainkey points at ${target}, not at Microsoft's DKIM key`, evidence };
  }
  // No CNAME. A TXT key here means someone copied the key or a DNS proxy flattened the CNAME,
  // which breaks Microsoft's key rotation.
  if (r.status === 'nodata') {
    const txt = await asker.ask(`${selector}._domainkey.${domain}`, 'TXT', round + 1);
    if (!isUnanswered(txt) && !isVoid(txt)) {
      return {
        status: 'warn',
        message: `${selector}._domainkey is a TXT record, not a CNAME to Microsoft (a copied key or a flattening DNS proxy stops key rotation)`,
        evidence: lookupEvidence(txt),
      };
    }
  }
  return { status: 'warn', message: `no ${selector}._domainkey CNAME`, evidence };
}

/** dkim: selector1 and selector2 CNAMEs to Microsoft's targets; absent is a warning. */
export async function checkDkim(
  domain: string,
  s1: Promise<LookupResult>,
  s2: Promise<LookupResult>,
  asker: Asker,
  round: number,
): Promise<CheckResult> {
  const verdicts = await Promise.all([
    judgeSelector('selector1', domain, s1, asker, round),
    judgeSelector('selector2', domain, s2, asker, round),
  ]);
  const evidence = verdicts.flatMap((v) => v.evidence);
  const status = worst(verdicts.map((v) => v.status));
  if (status === 'pass') return result('dkim', 'pass', "selector1 and selector2 are CNAMEs to Microsoft's DKIM keys", evidence, null);
  if (status === 'error') return notChecked('dkim', verdicts.find((v) => v.status === 'error')!.message, evidence);
  const absent = verdicts.every((v) => v.message.startsWith('no '));
  if (absent) {
    return result(
      'dkim',
      'warn',
      `no DKIM CNAMEs for Exchange Online at selector1/selector2._domainkey.${domain}: Microsoft then signs with the onmicrosoft.com domain, which does not align for DMARC`,
      evidence,
      fixFor('dkim'),
    );
  }
  return result(
    'dkim',
    'warn',
    verdicts
      .filter((v) => v.status !== 'pass')
      .map((v) => v.message)
      .join('; '),
    evidence,
    fixFor('dkim'),
  );
}

/** Microsoft 365's autodiscover targets (worldwide, Germany, 21Vianet; dns-facts §1.1, §1.7). */
const AUTODISCOVER_TARGETS = ['autodiscover.outlook.com', 'autodiscover-outlook.office.de', 'autodiscover.partner.outlook.cn'];

/** autodiscover: a CNAME to autodiscover.outlook.com; absent or elsewhere is a warning. */
export async function checkAutodiscover(domain: string, lookup: Promise<LookupResult>): Promise<CheckResult> {
  const r = await lookup;
  const evidence = lookupEvidence(r);
  if (isUnanswered(r)) return notChecked('autodiscover', couldNotAsk(r), evidence);
  const target = cnameTarget(r);
  if (target && AUTODISCOVER_TARGETS.includes(target))
    return result('autodiscover', 'pass', `autodiscover.${domain} is a CNAME to ${target}`, evidence, null);
  if (target) {
    return result(
      'autodiscover',
      'warn',
      `autodiscover.${domain} points at ${target}, not autodiscover.outlook.com: right in Exchange hybrid with mailboxes on premises, otherwise Outlook may not find Exchange Online mailboxes`,
      evidence,
      fixFor('autodiscover'),
    );
  }
  return result(
    'autodiscover',
    'warn',
    `no autodiscover.${domain} CNAME: Outlook and phones may not find the mailbox by themselves`,
    evidence,
    fixFor('autodiscover'),
  );
}
