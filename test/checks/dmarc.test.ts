import { describe, expect, it } from 'vitest';
import { isDmarcRecord, parseDmarc, type DmarcPolicy } from '../../src/checks/dmarc.js';

describe('parseDmarc', () => {
  const ok = (record: string, policy: DmarcPolicy, extra: Partial<ReturnType<typeof parseDmarc>> = {}) =>
    it(`${JSON.stringify(record)} -> p=${policy}`, () => {
      const d = parseDmarc(record);
      expect(d.errors).toEqual([]);
      expect(d.valid).toBe(true);
      expect(d.policy).toBe(policy);
      expect(d).toMatchObject(extra);
    });
  const bad = (record: string, error: RegExp) =>
    it(`rejects ${JSON.stringify(record)}`, () => {
      const d = parseDmarc(record);
      expect(d.valid).toBe(false);
      expect(d.errors.join('\n')).toMatch(error);
    });

  ok('v=DMARC1; p=reject', 'reject', { policyGiven: true, pct: null, rua: [] });
  ok('v=DMARC1; p=none; rua=mailto:dmarc@contoso.com', 'none', { rua: ['mailto:dmarc@contoso.com'] });
  ok('v=DMARC1;p=quarantine;pct=50;sp=reject', 'quarantine', { pct: 50, subdomainPolicy: 'reject' });
  ok('v = DMARC1 ; p = Reject ;', 'reject');
  ok('v=DMARC1; p=reject; rua=mailto:a@contoso.com,mailto:b@report.example!10m; adkim=s; aspf=r; fo=1', 'reject', {
    rua: ['mailto:a@contoso.com', 'mailto:b@report.example!10m'],
  });
  // DMARCbis: no p means p=none (with a warning); np and psd are known tags.
  ok('v=DMARC1; rua=mailto:d@contoso.com', 'none', { policyGiven: false });
  ok('v=DMARC1; p=reject; np=reject; psd=n; t=y', 'reject');

  bad('v=DMARC1; p=block', /p=block is not none, quarantine or reject/);
  bad('v=DMARC1; p=reject; sp=maybe', /sp=maybe/);
  bad('v=DMARC1; p=reject; pct=150', /pct=150/);
  bad('v=DMARC1; p=reject; adkim=x', /adkim=x/);
  bad('v=DMARC1; p=reject; rua=dmarc@contoso.com', /not a URI/);
  bad('v=DMARC1; p=reject; garbage', /not tag=value/);
  bad('p=reject; v=DMARC1', /does not start with "v=DMARC1"/);
  bad(' v=DMARC1; p=reject', /white space/);
  bad('v=spf1 -all', /does not start/);

  it('warns about pct under 100, unknown and repeated tags', () => {
    expect(parseDmarc('v=DMARC1; p=reject; pct=25').warnings.join()).toMatch(/25%/);
    expect(parseDmarc('v=DMARC1; p=reject; foo=bar').warnings.join()).toMatch(/unknown tag "foo"/);
    expect(parseDmarc('v=DMARC1; p=reject; p=none').policy).toBe('reject');
  });

  it('tells DMARC records from other TXT records', () => {
    expect(isDmarcRecord('v=DMARC1; p=none')).toBe(true);
    expect(isDmarcRecord('v=DMARC1')).toBe(true);
    expect(isDmarcRecord('v=DMARC10; p=none')).toBe(false);
    expect(isDmarcRecord('google-site-verification=abc')).toBe(false);
  });
});
