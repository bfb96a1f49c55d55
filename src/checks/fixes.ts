import type { CheckFix, CheckId } from './types.js';

/**
 * What to do when a check does not pass, as data. `kb` names the
 * knowledge-base entry about the bounces the problem causes
 * (test/checks/fixes.test.ts keeps these ids real).
 */
const MS_DNS = 'https://learn.microsoft.com/en-us/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider';
const MS_SPF = 'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure';
const MS_DKIM = 'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dkim-configure';
const MS_DMARC = 'https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dmarc-configure';
const RFC7208_LIMITS = 'https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4';

/** The entry about mail refused because the MX points at the wrong server ("Relay Access Denied"). */
export const KB_MX = 'relay-access-denied';
/** The entry about mail refused because the sender domain's SPF record failed. */
export const KB_SPF = 'sender-denied-spf';
/** Mail to a domain with a null MX (RFC 7505). */
export const KB_NULL_MX = 'recipient-null-mx';
/** Exchange Online's bounce for a domain that does not exist (5.4.4 NonExistentDomain). */
export const KB_NO_DOMAIN = 'nonexistent-recipient-domain';
/** Exchange Online's bounce when the MX host cannot be looked up (4.4.312 / 5.4.312). */
export const KB_MX_HOST_LOOKUP = 'dns-query-failed';

export const FIXES: Record<CheckId, CheckFix> = {
  'mx-records': {
    steps: [
      'In the Microsoft 365 admin center open Settings > Domains > (the domain) > DNS records and copy the MX value.',
      'At your DNS host, publish it at the domain itself: "@ MX 0 <value>", TTL 1 hour.',
      'If the domain should receive no mail at all, a null MX ("MX 0 .") is right; then ignore this check.',
    ],
    kb: KB_MX,
    docs: [MS_DNS],
  },
  'mx-count': {
    steps: [
      'Keep only the MX record Microsoft 365 shows for the domain and delete the others: Microsoft does not support more than one MX for a domain in Exchange Online.',
      'Moving to the mx.microsoft form, two Microsoft MX records are expected for a short while: finish the move and delete the mail.protection.outlook.com record.',
    ],
    kb: KB_MX,
    docs: [MS_DNS],
  },
  'mx-target': {
    steps: [
      'Point the MX at the host the Microsoft 365 admin center shows for this domain (Settings > Domains > DNS records), usually <domain-with-dashes>.mail.protection.outlook.com or <key>.<c>-v1.mx.microsoft.',
      "A host of another domain sends the mail to another organisation: replace it with this domain's own value.",
      'If mail should first pass your own Exchange server or a filtering service, keep its MX and make sure it forwards to Exchange Online through a connector.',
    ],
    kb: KB_MX,
    docs: [MS_DNS],
  },
  'mx-resolves': {
    steps: [
      'An MX must name a host with an A or AAAA record, never an IP address and never a CNAME alias (RFC 2181 §10.3).',
      "Use the exact MX value from the Microsoft 365 admin center; if Microsoft's own host does not resolve, re-check the domain in the admin center (Settings > Domains > Check health).",
    ],
    kb: KB_MX_HOST_LOOKUP,
    docs: [MS_DNS],
  },
  'spf-record': {
    steps: [
      'Publish exactly one TXT record starting with "v=spf1" at the domain, for Microsoft 365: "v=spf1 include:spf.protection.outlook.com -all".',
      'With several SPF records, merge their terms into one record and delete the rest (several records are a permanent error for every receiver, RFC 7208 §4.5).',
      'A domain that sends no mail should publish "v=spf1 -all".',
    ],
    kb: KB_SPF,
    docs: [MS_SPF],
  },
  'spf-eop': {
    steps: [
      'Add "include:spf.protection.outlook.com" to the SPF record before its "all" term, so mail sent through Exchange Online passes SPF.',
    ],
    kb: KB_SPF,
    docs: [MS_SPF],
  },
  'spf-lookups': {
    steps: [
      'Keep the whole SPF tree at 10 DNS-querying terms or fewer (include, a, mx, ptr, exists, redirect, counted through every include): remove services that no longer send for you, replace a and mx terms by ip4/ip6 ranges, and move bulk senders to a subdomain with its own SPF record.',
      'Remove includes of names that have no SPF record (void lookups; at most 2 are allowed) and break any include loop.',
    ],
    kb: KB_SPF,
    docs: [MS_SPF, RFC7208_LIMITS],
  },
  'spf-all': {
    steps: [
      'End the SPF record with "-all" (Microsoft\'s recommendation) or "~all"; never "+all", which lets the whole Internet send as your domain.',
      '"?all" is for testing only.',
    ],
    kb: KB_SPF,
    docs: [MS_SPF],
  },
  dmarc: {
    steps: [
      'Publish one TXT record at _dmarc.<domain>, for example "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@<domain>".',
      'Start with p=none while you read the reports, then move to p=quarantine and p=reject.',
    ],
    kb: null,
    docs: [MS_DMARC],
  },
  dkim: {
    steps: [
      'In the Microsoft Defender portal open Email authentication settings > DKIM, select the domain and copy the two CNAME values (or run Get-DkimSigningConfig).',
      'Publish "selector1._domainkey" and "selector2._domainkey" as CNAMEs to those values (no proxying), then enable signing for the domain.',
    ],
    kb: null,
    docs: [MS_DKIM],
  },
  autodiscover: {
    steps: [
      'Publish "autodiscover" as a CNAME to autodiscover.outlook.com so Outlook and mobile clients find the mailbox.',
      'In an Exchange hybrid deployment autodiscover points at your on-premises Exchange instead; then ignore this check.',
    ],
    kb: null,
    docs: [MS_DNS],
  },
};

export function fixFor(id: CheckId, change: Partial<CheckFix> = {}): CheckFix {
  const fix = FIXES[id];
  return {
    steps: [...(change.steps ?? fix.steps)],
    kb: change.kb !== undefined ? change.kb : fix.kb,
    docs: [...(change.docs ?? fix.docs)],
  };
}
