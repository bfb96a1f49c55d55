import { describe, expect, it } from 'vitest';
import { spfLookupBreakdown } from '../../src/checks/spf-lookups.js';
import { evaluateSpf } from '../../src/checks/spf-tree.js';
import { recordedResolver } from './recorded-resolver.js';
import { rows } from './spf-rows.js';

describe('spfLookupRows', () => {
  it('lists every counting term, void and not-followed ones too, and the rows add up', async () => {
    const r = recordedResolver({
      'contoso.com TXT': [
        'v=spf1 a mx:nomx.contoso.com ptr exists:%{i}.x.example include:gone.example include:loop.example ip4:192.0.2.1 -all',
      ],
      'contoso.com A': ['192.0.2.1'],
      'nomx.contoso.com A': ['192.0.2.2'],
      'loop.example TXT': ['v=spf1 include:contoso.com ~all'],
    });
    const e = await evaluateSpf('contoso.com', r);
    expect(e.lookups).toBe(7);
    expect(rows(e)).toEqual([
      'a',
      'mx:nomx.contoso.com void',
      'ptr (not asked: needs the connecting address)',
      "exists:%{i}.x.example (not asked: holds macros that need the sender's address)",
      'include:gone.example void (no SPF record)',
      'include:loop.example',
      '  include:contoso.com (loop: contoso.com -> loop.example -> contoso.com)',
    ]);
  });

  it('the breakdown carries the rows, the totals and the limits of RFC 7208 (10 and 2)', async () => {
    const r = recordedResolver({ 'contoso.com TXT': ['v=spf1 include:gone.example mx -all'], 'contoso.com MX': ['10 mx.contoso.com'] });
    const e = await evaluateSpf('contoso.com', r);
    const b = spfLookupBreakdown(e);
    expect(b.rows.map((row) => [row.term, row.void])).toEqual([
      ['include:gone.example', true],
      ['mx', false],
    ]);
    expect([b.total, b.voidLookups, b.limit, b.voidLimit]).toEqual([2, 1, 10, 2]);
  });
});
