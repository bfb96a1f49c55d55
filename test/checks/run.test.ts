import { describe, expect, it } from 'vitest';
import { reportOutcome, runChecks } from '../../src/checks/run.js';
import { CHECK_IDS, type CheckReport, type CheckStatus } from '../../src/checks/types.js';
import { recordedResolver, type Table } from './recorded-resolver.js';

const EOP: Table = {
  'spf.protection.outlook.com TXT': ['v=spf1 ip4:40.92.0.0/15 include:spfd.protection.outlook.com -all'],
  'spfd.protection.outlook.com TXT': ['v=spf1 ip4:40.107.0.0/16 -all'],
};

/** A correct Exchange Online domain, recorded. */
const CONTOSO: Table = {
  ...EOP,
  'contoso.com MX': ['0 contoso-com.mail.protection.outlook.com'],
  'contoso.com TXT': ['MS=ms12345678', 'v=spf1 include:spf.protection.outlook.com -all'],
  '_dmarc.contoso.com TXT': ['v=DMARC1; p=reject; rua=mailto:d@contoso.com'],
  'selector1._domainkey.contoso.com CNAME': ['selector1-contoso-com._domainkey.contoso.onmicrosoft.com'],
  'selector2._domainkey.contoso.com CNAME': ['selector2-contoso-com._domainkey.contoso.onmicrosoft.com'],
  'autodiscover.contoso.com CNAME': ['autodiscover.outlook.com'],
  'contoso-com.mail.protection.outlook.com A': ['192.0.2.25'],
  'contoso-com.mail.protection.outlook.com AAAA': ['2001:db8::25'],
};

function statuses(report: CheckReport): Record<string, CheckStatus> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

const ALL_PASS = Object.fromEntries(CHECK_IDS.map((id) => [id, 'pass']));

async function run(table: Table, domain = 'contoso.com') {
  const resolver = recordedResolver(table);
  const report = await runChecks(domain, resolver);
  return { report, resolver, s: statuses(report) };
}

describe('runChecks over recorded answers', () => {
  it('a correct domain passes every check, in 2 rounds, asking round 1 all at once', async () => {
    const { report, resolver, s } = await run(CONTOSO);
    expect(s).toEqual(ALL_PASS);
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.checks.every((c) => c.fix === null)).toBe(true);
    // Round 2: the MX host's addresses, spf.protection.outlook.com and, asked ahead, the spfd it includes.
    expect(report.rounds).toBe(2);
    expect(resolver.waves).toBe(2);
    expect(resolver.asked.slice(6).sort()).toEqual(
      [
        'contoso-com.mail.protection.outlook.com A',
        'contoso-com.mail.protection.outlook.com AAAA',
        'spf.protection.outlook.com TXT',
        'spfd.protection.outlook.com TXT',
      ].sort(),
    );
    expect(resolver.asked.slice(0, 6).sort()).toEqual(
      [
        'contoso.com MX',
        'contoso.com TXT',
        '_dmarc.contoso.com TXT',
        'selector1._domainkey.contoso.com CNAME',
        'selector2._domainkey.contoso.com CNAME',
        'autodiscover.contoso.com CNAME',
      ].sort(),
    );
    expect(report).toMatchObject({ domain: 'contoso.com', nameservers: ['192.0.2.53:53'], unanswered: 0 });
    expect(report.queries).toBe(resolver.asked.length);
    expect(reportOutcome(report)).toBe('ok');
  });

  it('a question asked ahead that no check needs is not counted or shown', async () => {
    // Should Microsoft's record stop including spfd: spfd was asked with it, but nothing uses it.
    const { report, resolver, s } = await run({ ...CONTOSO, 'spf.protection.outlook.com TXT': ['v=spf1 ip4:40.92.0.0/15 -all'] });
    expect(s).toEqual(ALL_PASS);
    expect(resolver.asked).toContain('spfd.protection.outlook.com TXT');
    expect(report.queries).toBe(resolver.asked.length - 1);
    expect(JSON.stringify(report)).not.toContain('spfd');
    expect(report.rounds).toBe(2);
  });

  it('a question asked ahead counts, answered or not, once a check asks it', async () => {
    const { report, resolver } = await run({ ...CONTOSO, 'spfd.protection.outlook.com TXT': 'timeout' });
    expect(report.queries).toBe(resolver.asked.length);
    expect(report.unanswered).toBe(1);
    expect(report.checks.find((c) => c.id === 'spf-eop')!.status).toBe('pass');
  });

  it('keeps evidence records and the SPF breakdown', async () => {
    const { report } = await run(CONTOSO);
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(byId.get('mx-records')!.evidence).toEqual([
      { name: 'contoso.com', type: 'MX', value: '0 contoso-com.mail.protection.outlook.com', ttl: 300, status: 'ok' },
    ]);
    expect(byId.get('spf-record')!.evidence).toEqual([
      {
        name: 'contoso.com',
        type: 'TXT',
        value: 'v=spf1 include:spf.protection.outlook.com -all',
        strings: ['v=spf1 include:spf.protection.outlook.com -all'],
        ttl: 300,
        status: 'ok',
      },
    ]);
    expect(byId.get('spf-lookups')!.evidence).toEqual([]);
    expect(byId.get('spf-lookups')!.spfLookups).toEqual({
      rows: [
        { depth: 0, record: 'contoso.com', term: 'include:spf.protection.outlook.com', lookups: 1, void: false, note: null },
        {
          depth: 1,
          record: 'spf.protection.outlook.com',
          term: 'include:spfd.protection.outlook.com',
          lookups: 1,
          void: false,
          note: null,
        },
      ],
      total: 2,
      voidLookups: 0,
      limit: 10,
      voidLimit: 2,
    });
    expect(byId.get('spf-lookups')!.message).toBe('2 of 10 DNS lookups, 0 of 2 void lookups');
  });

  type Case = [name: string, change: Table, expected: Record<string, CheckStatus>, domain?: string];
  const cases: Case[] = [
    [
      'NXDOMAIN',
      { 'contoso.com MX': 'nxdomain', 'contoso.com TXT': 'nxdomain' },
      {
        'mx-records': 'fail',
        'mx-count': 'fail',
        'mx-target': 'fail',
        'mx-resolves': 'fail',
        'spf-record': 'fail',
        'spf-eop': 'fail',
        'spf-lookups': 'fail',
        'spf-all': 'fail',
      },
    ],
    ['no MX', { 'contoso.com MX': 'nodata' }, { 'mx-records': 'fail', 'mx-count': 'fail', 'mx-target': 'fail', 'mx-resolves': 'fail' }],
    ['null MX', { 'contoso.com MX': ['0 .'] }, { 'mx-records': 'fail', 'mx-count': 'fail', 'mx-target': 'fail', 'mx-resolves': 'fail' }],
    [
      'two MX, one elsewhere',
      { 'contoso.com MX': ['0 contoso-com.mail.protection.outlook.com', '10 backup.contoso.com'], 'backup.contoso.com A': ['192.0.2.9'] },
      { 'mx-count': 'fail', 'mx-target': 'warn' },
    ],
    [
      'two Microsoft MX while moving to mx.microsoft',
      {
        'contoso.com MX': ['0 contoso-com.o-v1.mx.microsoft', '30 contoso-com.mail.protection.outlook.com'],
        'contoso-com.o-v1.mx.microsoft A': ['192.0.2.8'],
      },
      { 'mx-count': 'warn', 'mx-target': 'pass', 'mx-resolves': 'pass' },
    ],
    [
      'MX elsewhere',
      { 'contoso.com MX': ['10 mail.contoso.com'], 'mail.contoso.com A': ['192.0.2.7'] },
      { 'mx-target': 'warn', 'mx-count': 'pass' },
    ],
    [
      'MX of another domain',
      { 'contoso.com MX': ['0 fabrikam-com.mail.protection.outlook.com'], 'fabrikam-com.mail.protection.outlook.com A': ['192.0.2.6'] },
      { 'mx-target': 'fail' },
    ],
    [
      'MX host without address',
      { 'contoso-com.mail.protection.outlook.com A': 'nxdomain', 'contoso-com.mail.protection.outlook.com AAAA': 'nxdomain' },
      { 'mx-resolves': 'fail' },
    ],
    [
      'MX host is a CNAME',
      { 'contoso.com MX': ['10 mx.contoso.com'], 'mx.contoso.com CNAME': ['mail.contoso.com'], 'mail.contoso.com A': ['192.0.2.7'] },
      { 'mx-target': 'warn', 'mx-resolves': 'warn' },
    ],
    ['MX is an IP literal', { 'contoso.com MX': ['10 192.0.2.1'] }, { 'mx-target': 'warn', 'mx-resolves': 'warn' }],
    ['no SPF', { 'contoso.com TXT': ['MS=ms1'] }, { 'spf-record': 'fail', 'spf-eop': 'fail', 'spf-lookups': 'fail', 'spf-all': 'fail' }],
    [
      'two SPF',
      { 'contoso.com TXT': ['v=spf1 -all', 'v=spf1 include:spf.protection.outlook.com -all'] },
      { 'spf-record': 'fail', 'spf-eop': 'fail', 'spf-lookups': 'fail', 'spf-all': 'fail' },
    ],
    [
      'SPF syntax error',
      { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com -al'] },
      { 'spf-record': 'fail', 'spf-eop': 'pass', 'spf-all': 'warn' },
    ],
    ['SPF without Exchange Online', { 'contoso.com TXT': ['v=spf1 ip4:192.0.2.0/24 -all'] }, { 'spf-eop': 'fail' }],
    ['SPF ~all', { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com ~all'] }, {}],
    ['SPF ?all', { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com ?all'] }, { 'spf-all': 'warn' }],
    ['SPF +all', { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com +all'] }, { 'spf-all': 'fail' }],
    ['SPF without all', { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com'] }, { 'spf-all': 'warn' }],
    [
      'SPF include loop',
      { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com include:contoso.com -all'] },
      { 'spf-lookups': 'fail' },
    ],
    [
      'SPF include without record',
      { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com include:gone.example -all'] },
      { 'spf-lookups': 'fail' },
    ],
    ['SPF with ptr', { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com ptr -all'] }, { 'spf-lookups': 'warn' }],
    [
      'SPF include times out',
      { 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com include:slow.example -all'], 'slow.example TXT': 'timeout' },
      { 'spf-lookups': 'error', 'spf-eop': 'pass' },
    ],
    ['EOP include itself times out', { 'spf.protection.outlook.com TXT': 'servfail' }, { 'spf-lookups': 'error', 'spf-eop': 'pass' }],
    [
      'SPF redirect target refused',
      { 'contoso.com TXT': ['v=spf1 redirect=_spf.contoso.com'], '_spf.contoso.com TXT': 'refused' },
      { 'spf-eop': 'error', 'spf-lookups': 'error', 'spf-all': 'error' },
    ],
    ['DMARC p=none', { '_dmarc.contoso.com TXT': ['v=DMARC1; p=none'] }, { dmarc: 'warn' }],
    ['DMARC missing', { '_dmarc.contoso.com TXT': 'nxdomain' }, { dmarc: 'fail' }],
    ['DMARC twice', { '_dmarc.contoso.com TXT': ['v=DMARC1; p=none', 'v=DMARC1; p=reject'] }, { dmarc: 'fail' }],
    ['DMARC invalid', { '_dmarc.contoso.com TXT': ['v=DMARC1; p=rejected'] }, { dmarc: 'fail' }],
    ['DMARC times out', { '_dmarc.contoso.com TXT': 'timeout' }, { dmarc: 'error' }],
    [
      'DKIM absent',
      { 'selector1._domainkey.contoso.com CNAME': 'nxdomain', 'selector2._domainkey.contoso.com CNAME': 'nxdomain' },
      { dkim: 'warn' },
    ],
    ['DKIM one selector', { 'selector2._domainkey.contoso.com CNAME': 'nxdomain' }, { dkim: 'warn' }],
    [
      'DKIM 2025 targets',
      {
        'selector1._domainkey.contoso.com CNAME': ['selector1-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft'],
        'selector2._domainkey.contoso.com CNAME': ['selector2-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft'],
      },
      {},
    ],
    ['DKIM elsewhere', { 'selector1._domainkey.contoso.com CNAME': ['s1.dkim.mailer.example'] }, { dkim: 'warn' }],
    [
      'DKIM as TXT',
      { 'selector1._domainkey.contoso.com CNAME': 'nodata', 'selector1._domainkey.contoso.com TXT': ['v=DKIM1; k=rsa; p=MIIB'] },
      { dkim: 'warn' },
    ],
    ['DKIM servfail', { 'selector1._domainkey.contoso.com CNAME': 'servfail' }, { dkim: 'error' }],
    ['autodiscover absent', { 'autodiscover.contoso.com CNAME': 'nxdomain' }, { autodiscover: 'warn' }],
    ['autodiscover on premises', { 'autodiscover.contoso.com CNAME': ['mail.contoso.com'] }, { autodiscover: 'warn' }],
    ['autodiscover refused', { 'autodiscover.contoso.com CNAME': 'refused' }, { autodiscover: 'error' }],
    [
      'MX lookup times out',
      { 'contoso.com MX': 'timeout' },
      { 'mx-records': 'error', 'mx-count': 'error', 'mx-target': 'error', 'mx-resolves': 'error' },
    ],
    [
      'MX host lookups time out',
      { 'contoso-com.mail.protection.outlook.com A': 'timeout', 'contoso-com.mail.protection.outlook.com AAAA': 'timeout' },
      { 'mx-resolves': 'error' },
    ],
    [
      'TXT servfail',
      { 'contoso.com TXT': 'servfail' },
      { 'spf-record': 'error', 'spf-eop': 'error', 'spf-lookups': 'error', 'spf-all': 'error' },
    ],
  ];
  for (const [name, change, expected] of cases) {
    it(name, async () => {
      const { s } = await run({ ...CONTOSO, ...change });
      expect(s).toEqual({ ...ALL_PASS, ...expected });
    });
  }

  it('a subdomain without DMARC inherits its parent record (sp= first)', async () => {
    const table: Table = {
      ...CONTOSO,
      'sales.contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com -all'],
      '_dmarc.contoso.com TXT': ['v=DMARC1; p=reject; sp=none'],
    };
    const { report } = await run(table, 'sales.contoso.com');
    const dmarc = report.checks.find((c) => c.id === 'dmarc')!;
    expect(dmarc.status).toBe('warn');
    expect(dmarc.message).toMatch(/inherited from _dmarc.contoso.com/);
  });

  it('reports evidence and a fix with a knowledge-base link for a failing MX', async () => {
    const { report } = await run({ ...CONTOSO, 'contoso.com MX': ['0 fabrikam-com.mail.protection.outlook.com'] });
    const c = report.checks.find((x) => x.id === 'mx-target')!;
    expect(c.evidence).toEqual([
      { name: 'contoso.com', type: 'MX', value: '0 fabrikam-com.mail.protection.outlook.com', ttl: 300, status: 'ok' },
    ]);
    expect(c.fix?.kb).toBe('relay-access-denied');
    expect(c.fix?.steps.length).toBeGreaterThan(0);
  });

  it('links the knowledge-base entry for the cause: null MX, nonexistent domain, MX host not found', async () => {
    const kb = async (change: Table, id: string) => (await run({ ...CONTOSO, ...change })).report.checks.find((c) => c.id === id)!.fix?.kb;
    expect(await kb({ 'contoso.com MX': ['0 .'] }, 'mx-records')).toBe('recipient-null-mx');
    expect(await kb({ 'contoso.com MX': 'nxdomain' }, 'mx-records')).toBe('nonexistent-recipient-domain');
    expect(await kb({ 'contoso.com MX': 'nodata' }, 'mx-records')).toBe('relay-access-denied');
    expect(
      await kb(
        { 'contoso-com.mail.protection.outlook.com A': 'nxdomain', 'contoso-com.mail.protection.outlook.com AAAA': 'nxdomain' },
        'mx-resolves',
      ),
    ).toBe('dns-query-failed');
    expect(await kb({ 'contoso.com TXT': ['v=spf1 -all'] }, 'spf-eop')).toBe('sender-denied-spf');
  });

  it('outcome: failed when a check fails, unreachable when nothing answered', async () => {
    expect(reportOutcome((await run({ ...CONTOSO, 'contoso.com TXT': ['v=spf1 +all'] })).report)).toBe('failed');
    const dead: Table = Object.fromEntries(
      [
        'contoso.com MX',
        'contoso.com TXT',
        '_dmarc.contoso.com TXT',
        'selector1._domainkey.contoso.com CNAME',
        'selector2._domainkey.contoso.com CNAME',
        'autodiscover.contoso.com CNAME',
      ].map((k) => [k, 'timeout']),
    );
    const { report, s } = await run(dead);
    expect(Object.values(s).every((x) => x === 'error')).toBe(true);
    expect(report.queries).toBe(6);
    expect(report.unanswered).toBe(6);
    expect(reportOutcome(report)).toBe('unreachable');
    // One answer is enough to make it a (partial) check, not an unreachable DNS.
    expect(
      reportOutcome(
        (
          await run({
            ...dead,
            'contoso.com MX': ['0 contoso-com.mail.protection.outlook.com'],
            'contoso-com.mail.protection.outlook.com A': ['192.0.2.25'],
          })
        ).report,
      ),
    ).toBe('ok');
  });
});
