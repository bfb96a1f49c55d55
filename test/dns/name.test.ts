import { describe, expect, it } from 'vitest';
import { toQueryName } from '../../src/dns/name.js';

describe('toQueryName (names the checks pass to lookup)', () => {
  const ok = (input: string, expected: string) =>
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
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

  it.each([
    '',
    '.',
    'a..b',
    'sp ace.com',
    'tab\t.com',
    `${'x'.repeat(64)}.com`,
    `${'x'.repeat(32)}\\.${'x'.repeat(32)}.com`,
    'trailing\\',
    'bad\\256.com',
  ])('%j has a problem', (input) => {
    expect(toQueryName(input)).toHaveProperty('problem');
  });
});
