import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { domainOfAddress, normalizeDomain, parseDomain, toHostname } from '../../src/domain/name.js';

describe('normalizeDomain', () => {
  const ok = (input: string, expected: string) =>
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
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

  const bad = (input: string, why: RegExp) =>
    it(`${JSON.stringify(input)} is a UsageError`, () => {
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

describe('parseDomain calls an IP address one as node:net does, without loading it', () => {
  it('for any IP-like text', () => {
    const seed = Number(process.env.NDR_FUZZ_SEED ?? 20261206);
    const ipish = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6(),
      fc.ipV6().map((a) => `${a}%eth0`),
      fc.stringMatching(/^[0-9a-fA-F.:x%]{1,40}$/),
      fc.domain(),
    );
    fc.assert(
      fc.property(ipish, (text) => {
        const parsed = parseDomain(text);
        if (isIP(text) !== 0) expect(parsed).toEqual({ problem: expect.stringContaining('is an IP address') });
        if ('domain' in parsed) expect(isIP(parsed.domain)).toBe(0);
      }),
      { seed, numRuns: 3000 },
    );
  });
});

describe('domainOfAddress (the domain of an address as mail gives it)', () => {
  const of = (address: string | null, expected: string | null) =>
    it(`${JSON.stringify(address)} -> ${expected}`, () => expect(domainOfAddress(address)).toBe(expected));
  of('user@contoso.com', 'contoso.com');
  of('<User@Contoso.COM>', 'Contoso.COM');
  of('Jane Doe <jane@sales.contoso.com>', 'sales.contoso.com');
  of('"odd@local"@contoso.com', 'contoso.com');
  of('user@', '');
  of('no-at-sign', null);
  of(null, null);
});

describe('toHostname', () => {
  const ok = (input: string, expected: string | null) =>
    it(`${JSON.stringify(input)} -> ${expected}`, () => expect(toHostname(input)).toBe(expected));
  ok('Contoso.COM.', 'contoso.com');
  ok('xn--bcher-kva.example', 'xn--bcher-kva.example');
  ok('BÜCHER.example', 'xn--bcher-kva.example');
  ok('contoso', null);
  ok('contoso..com', null);
  ok('contoso.123', null);
  ok('', null);
  // IP literals are no host names (toHostname has no IP test of its own: see its comment).
  ok('192.0.2.1', null);
  ok('192.0.2.1.', null);
  ok('１９２．０．２．１', null);
  ok('2001:db8::1', null);
  ok('::ffff:192.0.2.1', null);
  ok('[2001:db8::1]', null);
  ok('fe80::1%eth0', null);

  it('never returns an IP address, nor anything node:net calls one', () => {
    const seed = Number(process.env.NDR_FUZZ_SEED ?? 20261122);
    const ipish = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6(),
      fc.ipV4().map((a) => `${a}.`),
      fc.stringMatching(/^[0-9a-fA-F.:x]{1,40}$/),
      fc.domain(),
    );
    fc.assert(
      fc.property(ipish, (text) => {
        const host = toHostname(text);
        if (isIP(text) !== 0) expect(host).toBeNull();
        if (host !== null) expect(isIP(host)).toBe(0);
      }),
      { seed, numRuns: 3000 },
    );
  });
});

describe('toHostname names only what check-mx accepts', () => {
  it('the same domain, for any domain-like text', () => {
    const seed = Number(process.env.NDR_FUZZ_SEED ?? 20261206);
    fc.assert(
      fc.property(fc.oneof(fc.domain(), fc.stringMatching(/^[a-zA-Z0-9._-]{1,30}$/), fc.webUrl()), (text) => {
        const host = toHostname(text);
        if (host !== null) expect(parseDomain(text)).toEqual({ domain: host });
      }),
      { seed, numRuns: 500 },
    );
  });
  it('an A-label that is not valid punycode is no host name (check-mx refuses it)', () => {
    expect(toHostname('xn--zz.com')).toBe(null);
    expect(parseDomain('xn--zz.com')).toHaveProperty('problem');
  });
});
