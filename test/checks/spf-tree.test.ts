import { describe, expect, it } from 'vitest';
import { evaluateSpf } from '../../src/checks/spf-tree.js';
import { recordedResolver, type Table } from './recorded-resolver.js';
import { rows } from './spf-rows.js';

const EOP: Table = {
  'spf.protection.outlook.com TXT': ['v=spf1 ip4:40.92.0.0/15 include:spfd.protection.outlook.com -all'],
  'spfd.protection.outlook.com TXT': ['v=spf1 ip4:40.107.0.0/16 -all'],
};

describe('evaluateSpf over recorded answers', () => {
  it('counts the whole tree and finds Exchange Online through a nested include', async () => {
    const r = recordedResolver({
      ...EOP,
      'contoso.com TXT': ['MS=ms1234', 'v=spf1 include:_spf.contoso.com mx -all'],
      'contoso.com MX': ['10 contoso-com.mail.protection.outlook.com'],
      '_spf.contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com a:relay.contoso.com ~all'],
      'relay.contoso.com A': ['192.0.2.1'],
    });
    const e = await evaluateSpf('contoso.com', r);
    // root: include + mx; _spf: include + a; spf.protection: include; spfd: none.
    expect(e.lookups).toBe(5);
    expect(e.voidLookups).toBe(0);
    expect(e.eop).toEqual({
      domain: 'spf.protection.outlook.com',
      path: ['contoso.com', '_spf.contoso.com', 'spf.protection.outlook.com'],
    });
    expect(e.all).toEqual({ qualifier: '-', domain: 'contoso.com' });
    expect(e.unanswered).toEqual([]);
    // Depth 3 chain (_spf, spf, spfd), TXT rounds 1..3: spfd is asked together with spf.protection (KNOWN_INCLUDES).
    expect(e.rounds).toBe(3);
    expect(r.waves).toBe(3);
    // Each include counts its own lookup, then the terms of its record: the rows add up to 5.
    expect(rows(e)).toEqual([
      'include:_spf.contoso.com',
      '  include:spf.protection.outlook.com',
      '    include:spfd.protection.outlook.com',
      '  a:relay.contoso.com',
      'mx',
    ]);
  });

  it('an include chain of depth d takes d + 2 rounds when the deepest record has an a term', async () => {
    const table: Table = { 'd0.example TXT': ['v=spf1 include:d1.example -all'] };
    for (let i = 1; i <= 5; i++) table[`d${i}.example TXT`] = [i < 5 ? `v=spf1 include:d${i + 1}.example -all` : 'v=spf1 a -all'];
    table['d5.example A'] = ['192.0.2.5'];
    const r = recordedResolver(table);
    const e = await evaluateSpf('d0.example', r);
    expect(e.lookups).toBe(6);
    expect(r.waves).toBe(5 + 2);
  });

  it('finds more than 10 lookups and says which include holds them', async () => {
    const many = Array.from({ length: 9 }, (_, i) => `a:h${i}.big.example`).join(' ');
    const r = recordedResolver({
      ...EOP,
      'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com include:big.example -all'],
      'big.example TXT': [`v=spf1 ${many} -all`],
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`h${i}.big.example A`, ['192.0.2.9']])),
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.lookups).toBe(2 + 1 + 9);
    const r9 = rows(e);
    expect(r9.slice(0, 3)).toEqual(['include:spf.protection.outlook.com', '  include:spfd.protection.outlook.com', 'include:big.example']);
    expect(r9.slice(3)).toEqual(Array.from({ length: 9 }, (_, i) => `  a:h${i}.big.example`));
  });

  it('counts void lookups (NXDOMAIN and NODATA) and reports includes without a record', async () => {
    const r = recordedResolver({
      'contoso.com TXT': ['v=spf1 include:gone.example a:nohost.contoso.com mx:nomx.contoso.com -all'],
      'nomx.contoso.com A': ['192.0.2.1'],
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.voidLookups).toBe(3);
    expect(e.brokenIncludes).toEqual([{ term: 'include:gone.example', problem: 'no SPF record' }]);
  });

  it('detects include loops, also through redirect', async () => {
    const r = recordedResolver({
      'contoso.com TXT': ['v=spf1 include:a.example -all'],
      'a.example TXT': ['v=spf1 redirect=b.example'],
      'b.example TXT': ['v=spf1 include:a.example ~all'],
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.loops).toEqual(['contoso.com -> a.example -> b.example -> a.example']);
  });

  it('takes "all" from the redirect target when the record has none', async () => {
    const r = recordedResolver({
      ...EOP,
      'contoso.com TXT': ['v=spf1 redirect=_spf.contoso.com'],
      '_spf.contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com ?all'],
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.all).toEqual({ qualifier: '?', domain: '_spf.contoso.com' });
    expect(e.eop?.domain).toBe('spf.protection.outlook.com');
    expect(e.lookups).toBe(3);
  });

  it('ignores redirect next to "all" (RFC 7208 §6.1): not followed, not counted', async () => {
    const r = recordedResolver({ 'contoso.com TXT': ['v=spf1 -all redirect=other.example'] });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.lookups).toBe(0);
    expect(r.asked).toEqual(['contoso.com TXT']);
  });

  it('keeps unanswered lookups apart from absent ones', async () => {
    const r = recordedResolver({
      'contoso.com TXT': ['v=spf1 include:slow.example include:spf.protection.outlook.com -all'],
      'slow.example TXT': 'timeout',
      ...EOP,
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.unanswered.map((u) => `${u.name} ${u.status}`)).toEqual(['slow.example timeout']);
    expect(e.voidLookups).toBe(0);
    expect(e.brokenIncludes).toEqual([]);
    expect(e.eop?.domain).toBe('spf.protection.outlook.com');
  });

  it('does not follow macros, and counts them', async () => {
    const r = recordedResolver({ 'contoso.com TXT': ['v=spf1 include:%{ir}.%{v}._spf.contoso.com exists:%{i}.x.example -all'] });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.lookups).toBe(2);
    expect(e.notFollowed).toEqual(['include:%{ir}.%{v}._spf.contoso.com']);
    expect(r.asked).toEqual(['contoso.com TXT']);
  });

  it('joins split TXT strings without a separator', async () => {
    const r = recordedResolver({ ...EOP, 'contoso.com TXT': [['v=spf1 include:spf.prot', 'ection.outlook.com', ' -all']] });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.root.records).toEqual(['v=spf1 include:spf.protection.outlook.com -all']);
    expect(e.eop).not.toBeNull();
  });
});
