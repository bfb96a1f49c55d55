import { describe, expect, it } from 'vitest';
import { parseSpf, type SpfTerm } from '../../src/checks/spf-record.js';

/** A term as "qualifier name[:value][cidr]" or "name=value" for a modifier. */
function show(t: SpfTerm): string {
  if (t.kind === 'modifier') return `${t.name}=${t.value}`;
  return `${t.qualifier}${t.name}${t.value !== null ? `:${t.value}` : ''}${t.cidr ?? ''}`;
}

describe('parseSpf', () => {
  const ok = (record: string, terms: string[]) =>
    it(`parses ${JSON.stringify(record)}`, () => {
      const p = parseSpf(record);
      expect(p.errors).toEqual([]);
      expect(p.valid).toBe(true);
      expect(p.terms.map(show)).toEqual(terms);
    });
  const bad = (record: string, error: RegExp) =>
    it(`rejects ${JSON.stringify(record)}`, () => {
      const p = parseSpf(record);
      expect(p.valid).toBe(false);
      expect(p.errors.join('\n')).toMatch(error);
    });

  ok('v=spf1 include:spf.protection.outlook.com -all', ['+include:spf.protection.outlook.com', '-all']);
  ok('V=SPF1 Include:spf.protection.outlook.com ~ALL', ['+include:spf.protection.outlook.com', '~all']);
  ok('v=spf1', []);
  ok('v=spf1  ip4:192.0.2.0/24   ip6:2001:db8::/32 ?all', ['+ip4:192.0.2.0/24', '+ip6:2001:db8::/32', '?all']);
  ok('v=spf1 a mx a:mail.contoso.com/24 mx//64 mx:contoso.com/24//64 -all', [
    '+a',
    '+mx',
    '+a:mail.contoso.com/24',
    '+mx//64',
    '+mx:contoso.com/24//64',
    '-all',
  ]);
  ok('v=spf1 exists:%{i}._spf.contoso.com -all', ['+exists:%{i}._spf.contoso.com', '-all']);
  ok('v=spf1 redirect=_spf.contoso.com', ['redirect=_spf.contoso.com']);
  ok('v=spf1 -all exp=explain._spf.contoso.com', ['-all', 'exp=explain._spf.contoso.com']);
  ok('v=spf1 +all', ['+all']);
  ok('v=spf1 ptr -all', ['+ptr', '-all']);
  ok('v=spf1 include:contoso.com. -all', ['+include:contoso.com.', '-all']);
  ok('v=spf1 foo=bar -all', ['foo=bar', '-all']);

  bad('v=spf1 include -all', /include needs ":domain"/);
  bad('v=spf1 include:contoso -all', /not a domain name/);
  bad('v=spf1 ip4:192.0.2.300 -all', /not an IPv4 address/);
  bad('v=spf1 ip4:192.0.2.0/33 -all', /prefix length/);
  bad('v=spf1 ip6:192.0.2.1 -all', /not an IPv6 address/);
  bad('v=spf1 all:contoso.com', /takes no argument/);
  bad('v=spf1 include:spf.protection.outlook.com -all.', /takes no argument/);
  bad('v=spf1 frobnicate -all', /unknown term "frobnicate"/);
  bad('v=spf1 redirect=a.example redirect=b.example', /more than once/);
  bad('v=spf1 include:%{z}.contoso.com', /bad macro/);
  bad('v=spf1 include:spf.protection.outlook.com \u001b[31m -all', /printable ASCII|unknown term/);
  bad('spf1 -all', /does not start with "v=spf1"/);
  bad('v=spf10 -all', /does not start with "v=spf1"/);

  it('warns about ptr, terms after all, and a redirect next to all', () => {
    expect(parseSpf('v=spf1 ptr -all').warnings.join()).toMatch(/RFC 7208 §5.5/);
    expect(parseSpf('v=spf1 -all include:x.example').warnings.join()).toMatch(/after "all"/);
    expect(parseSpf('v=spf1 redirect=x.example -all').warnings.join()).toMatch(/ignored/);
  });
});
