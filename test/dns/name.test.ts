import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { normalizeDomain, toQueryName } from '../../src/dns/name.js';

describe('normalizeDomain', () => {
  const ok = (input: string, expected: string) => it(`${JSON.stringify(input)} -> ${expected}`, () => {
    expect(normalizeDomain(input)).toBe(expected);
  });
  ok('contoso.com', 'contoso.com');
  ok('  Contoso.COM  ', 'contoso.com');
  ok('contoso.com.', 'contoso.com');
  ok('user@contoso.com', 'contoso.com');
  ok('First.Last@Mail.Contoso.com', 'mail.contoso.com');
  ok('<user@contoso.com>', 'contoso.com');
  ok('mailto:user@contoso.com', 'contoso.com');
  ok('"quoted@local"@contoso.com', 'contoso.com');
  ok('https://Contoso.COM/path', 'contoso.com');
  ok('https://www.contoso.com/x?y=1#z', 'www.contoso.com');
  ok('http://contoso.com:8080/', 'contoso.com');
  ok('www.contoso.com/path', 'www.contoso.com');
  ok('bücher.example', 'xn--bcher-kva.example');
  ok('user@bücher.example', 'xn--bcher-kva.example');
  ok('例.com', 'xn--fsq.com');
  ok('xn--bcher-kva.example', 'xn--bcher-kva.example');
  ok('_dmarc.contoso.com', '_dmarc.contoso.com');
  ok(`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`);

  const bad = (input: string, why: RegExp) => it(`${JSON.stringify(input)} is a UsageError`, () => {
    expect(() => normalizeDomain(input)).toThrow(UsageError);
    expect(() => normalizeDomain(input)).toThrow(why);
  });
  bad('', /no domain given/);
  bad('   ', /no domain given/);
  bad('contoso', /no dot/);
  bad('localhost.', /no dot/);
  bad('user@', /no domain in/);
  bad('conto so.com', /spaces/);
  bad('192.0.2.1', /IP address/);
  bad('user@[192.0.2.1]', /IP address/);
  bad('https://[::1]/', /IP address/);
  bad('0x7f.1', /IP address/);
  bad('contoso..com', /empty label/);
  bad('.contoso.com', /empty label/);
  bad(`${'a'.repeat(64)}.com`, /longer than 63/);
  bad(`${'abcdefghi.'.repeat(26)}com`, /longer than 253/);
  bad('contoso.123', /not a valid domain name/);
  bad('conto$o.com', /not allowed|not a valid/);
  bad('https://', /not a valid URL/);

  it('one line, even for long junk', () => {
    try {
      normalizeDomain(`${'x'.repeat(500)} y`);
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message.length).toBeLessThan(160);
    }
  });
});

describe('toQueryName (names the checks pass to lookup)', () => {
  const ok = (input: string, expected: string) => it(`${JSON.stringify(input)} -> ${expected}`, () => {
    expect(toQueryName(input)).toEqual({ name: expected });
  });
  ok('Contoso.COM.', 'contoso.com');
  ok('selector1._domainkey.contoso.com', 'selector1._domainkey.contoso.com');
  ok('bücher.example', 'xn--bcher-kva.example');
  ok('com', 'com');
  // Presentation form (RFC 1035 §5.1, RFC 4343 §2.1): a backslash escapes one octet, which may be a dot inside a label.
  ok('example-test\\.mail\\.protection\\.outlook\\.com', 'example-test\\.mail\\.protection\\.outlook\\.com');
  ok('back\\slash.com', 'backslash.com');
  ok('\\065\\.b.com', 'a\\.b.com');
  ok('back\\\\slash.com', 'back\\\\slash.com');
  ok(`${'x'.repeat(30)}\\.${'x'.repeat(32)}.com`, `${'x'.repeat(30)}\\.${'x'.repeat(32)}.com`);

  it.each(['', '.', 'a..b', 'sp ace.com', 'tab\t.com', `${'x'.repeat(64)}.com`, `${'x'.repeat(32)}\\.${'x'.repeat(32)}.com`, 'trailing\\', 'bad\\256.com'])('%j has a problem', (input) => {
    expect(toQueryName(input)).toHaveProperty('problem');
  });
});
