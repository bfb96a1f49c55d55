import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { formatServer, parseNameserver, parseNameservers, parseResolvConf } from '../../src/dns/servers.js';

describe('parseNameserver', () => {
  const ok = (input: string, expected: string) =>
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      expect(formatServer(parseNameserver(input))).toBe(expected);
    });
  ok('127.0.0.1', '127.0.0.1:53');
  ok('  192.0.2.1  ', '192.0.2.1:53');
  ok('127.0.0.1:5353', '127.0.0.1:5353');
  ok('::1', '[::1]:53');
  ok('[::1]:5353', '[::1]:5353');
  ok('[::1]', '[::1]:53');
  ok('2001:DB8:0:0:0:0:0:1', '[2001:db8::1]:53');
  ok('[2001:db8::53]:65535', '[2001:db8::53]:65535');
  ok('fe80::1%eth0', '[fe80::1%eth0]:53');

  const bad = (input: string, why: RegExp) =>
    it(`${JSON.stringify(input)} is a UsageError`, () => {
      expect(() => parseNameserver(input)).toThrow(UsageError);
      expect(() => parseNameserver(input)).toThrow(why);
    });
  bad('', /empty/);
  bad('dns.google', /not a host name/);
  bad('dns.google:53', /not a host name/);
  bad('256.1.1.1', /not an IP address/);
  bad('127.0.0.1:0', /port/);
  bad('127.0.0.1:65536', /port/);
  bad('127.0.0.1:53x', /port/);
  bad('127.0.0.1:', /port/);
  bad('[::1]:', /port/);
  bad('[127.0.0.1]:53', /IPv6/);
  bad('::1:5353:xyz', /not an IP address/);
  bad('1.2.3.4 5.6.7.8', /not an IP address/);

  it('several values and comma lists, duplicates dropped', () => {
    expect(parseNameservers(['1.1.1.1,8.8.8.8', '[::1]:5353', '1.1.1.1:53']).map(formatServer)).toEqual([
      '1.1.1.1:53',
      '8.8.8.8:53',
      '[::1]:5353',
    ]);
  });
});

describe('parseResolvConf', () => {
  const conf = (text: string, expected: { servers: string[]; timeoutMs?: number | null; attempts?: number | null; rotate?: boolean }) =>
    it(JSON.stringify(text), () => {
      const parsed = parseResolvConf(text);
      expect(parsed.nameservers.map(formatServer)).toEqual(expected.servers);
      expect(parsed.timeoutMs).toBe(expected.timeoutMs ?? null);
      expect(parsed.attempts).toBe(expected.attempts ?? null);
      expect(parsed.rotate).toBe(expected.rotate ?? false);
    });
  conf('', { servers: ['127.0.0.1:53'] });
  conf('# only a comment\n; and another\n', { servers: ['127.0.0.1:53'] });
  conf('nameserver 10.0.0.2\n', { servers: ['10.0.0.2:53'] });
  conf('nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch example.com\n', { servers: ['127.0.0.53:53'] });
  conf('nameserver 1.1.1.1\nnameserver 2606:4700:4700::1111\nnameserver 8.8.8.8\nnameserver 9.9.9.9\n', {
    servers: ['1.1.1.1:53', '[2606:4700:4700::1111]:53', '8.8.8.8:53'],
  });
  conf('nameserver fe80::1%eth0\n', { servers: ['[fe80::1%eth0]:53'] });
  conf('nameserver 10.0.0.1 # office\r\n\tnameserver\t10.0.0.2\r\n', { servers: ['10.0.0.1:53', '10.0.0.2:53'] });
  conf('nameserver dns.google\nnameserver 300.1.1.1\nnameserver\nnameserver 10.0.0.3\n', { servers: ['10.0.0.3:53'] });
  conf('nameserver 10.0.0.1\noptions timeout:1 attempts:3 rotate ndots:2\n', {
    servers: ['10.0.0.1:53'],
    timeoutMs: 1000,
    attempts: 3,
    rotate: true,
  });
  conf('options timeout:99 attempts:9\n', { servers: ['127.0.0.1:53'], timeoutMs: 30_000, attempts: 5 });
  conf('options timeout:0 attempts:0 timeout:x\n', { servers: ['127.0.0.1:53'], timeoutMs: 1000, attempts: 1 });
  conf('options timeout:2\noptions timeout:4\n', { servers: ['127.0.0.1:53'], timeoutMs: 4000 });
});
