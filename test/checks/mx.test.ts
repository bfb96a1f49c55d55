import { describe, expect, it } from 'vitest';
import { classifyMxHost, exchangeOnlineKey, exchangeOnlineKeys, judgeMxHost } from '../../src/checks/mx.js';
import type { CheckStatus } from '../../src/checks/types.js';

describe('exchangeOnlineKey', () => {
  const key = (domain: string, expected: string) => it(`${domain} -> ${expected}`, () => expect(exchangeOnlineKey(domain)).toBe(expected));
  key('contoso.com', 'contoso-com');
  key('Contoso.COM.', 'contoso-com');
  key('marketing.contoso.com', 'marketing-contoso-com');
  key('octo-bot.io', 'octobot-io');
  key('rolls-roycemotorcars.com', 'rollsroycemotorcars-com');
  key('bücher.example', 'xnbcherkva-example');

  it('keeps the hyphenated form as a second accepted key', () => {
    expect(exchangeOnlineKeys('heig-vd.ch')).toEqual(['heigvd-ch', 'heig-vd-ch']);
    expect(exchangeOnlineKeys('bücher.example')).toEqual(['xnbcherkva-example', 'xn--bcher-kva-example']);
    expect(exchangeOnlineKeys('contoso.com')).toEqual(['contoso-com']);
  });
});

describe('judgeMxHost (mx-target per host)', () => {
  const ok = (host: string, domain: string, status: CheckStatus) =>
    it(`${domain}: ${host || '(empty)'} -> ${status}`, () => expect(judgeMxHost(host, domain).status).toBe(status));
  ok('contoso-com.mail.protection.outlook.com', 'contoso.com', 'pass');
  ok('contoso-com.mail.protection.outlook.com.', 'contoso.com', 'pass');
  ok('CONTOSO-COM.mail.protection.outlook.com', 'contoso.com', 'pass');
  ok('contoso-com01c.mail.protection.outlook.com', 'contoso.com', 'pass');
  ok('fabrikam-com.mail.protection.outlook.com', 'contoso.com', 'fail');
  ok('contoso-com-evil.mail.protection.outlook.com', 'contoso.com', 'fail');
  ok('contoso-co.mail.protection.outlook.com', 'contoso.com', 'fail');
  ok('a.contoso-com.mail.protection.outlook.com', 'contoso.com', 'fail');
  ok('contoso-com.o-v1.mx.microsoft', 'contoso.com', 'pass');
  ok('contoso-com01b.j-v1.mx.microsoft', 'contoso.com', 'pass');
  ok('fabrikam-com.o-v1.mx.microsoft', 'contoso.com', 'fail');
  ok('mail.contoso.com', 'contoso.com', 'warn');
  ok('mx1.filter-service.example', 'contoso.com', 'warn');
  ok('octobot-io01b.mail.protection.outlook.com', 'octo-bot.io', 'pass');
  ok('rollsroycemotorcars-com01c.mail.protection.outlook.com', 'rolls-roycemotorcars.com', 'pass');
  ok('heig-vd-ch.mail.protection.outlook.com', 'heig-vd.ch', 'pass');
  ok('marketing-contoso-com.mail.protection.outlook.com', 'marketing.contoso.com', 'pass');
  ok('contoso-com.mail.protection.outlook.com', 'marketing.contoso.com', 'fail');
  // IDN: the domain given as U-labels or A-labels, the key made from the A-label.
  ok('xn--bcher-kva-example.mail.protection.outlook.com', 'bücher.example', 'pass');
  ok('xnbcherkva-example01c.mail.protection.outlook.com', 'xn--bcher-kva.example', 'pass');
  ok('bucher-example.mail.protection.outlook.com', 'bücher.example', 'fail');
  ok('contoso-com.mail.eo.outlook.com', 'contoso.com', 'warn');
  ok('contoso-com.mail.protection.outlook.de', 'contoso.com', 'warn');
  ok('.', 'contoso.com', 'fail');
  ok('192.0.2.1', 'contoso.com', 'warn');
  // Names too long to map into one label: cannot tell, so warn rather than fail.
  ok(
    'abcdefghijabcdefghijabcdefghij-abcdefghijabcdefghij-c.mail.protection.outlook.com',
    `${'abcdefghij'.repeat(4)}.${'abcdefghij'.repeat(3)}.com`,
    'warn',
  );
});

describe('classifyMxHost', () => {
  it('names the form and the key', () => {
    expect(classifyMxHost('contoso-com.o-v1.mx.microsoft', 'contoso.com')).toEqual({
      kind: 'exchange-online',
      form: 'mx.microsoft',
      key: 'contoso-com',
      owner: 'this-domain',
    });
    expect(classifyMxHost('fabrikam-com.mail.protection.outlook.com', 'contoso.com')).toEqual({
      kind: 'exchange-online',
      form: 'mail.protection.outlook.com',
      key: 'fabrikam-com',
      owner: 'other-domain',
    });
    expect(classifyMxHost('.', 'contoso.com')).toEqual({ kind: 'null' });
    expect(classifyMxHost('2001:db8::1', 'contoso.com')).toEqual({ kind: 'ip-literal' });
    expect(classifyMxHost('mail.contoso.com', 'contoso.com')).toEqual({ kind: 'other' });
  });

  it('says when a foreign host is fine', () => {
    expect(judgeMxHost('mail.contoso.com', 'contoso.com').message).toMatch(/hybrid|filter/);
    expect(judgeMxHost('fabrikam-com.mail.protection.outlook.com', 'contoso.com').message).toMatch(/another domain.*expected contoso-com/);
  });
});
