import { describe, expect, it } from 'vitest';
import { couldNotAsk, describeStatus, lookupEvidence } from '../../src/checks/ask.js';
import type { LookupResult, LookupStatus } from '../../src/dns/types.js';

function lookup(status: LookupStatus, message: string | null, server: string | null = '127.0.0.1:5399'): LookupResult {
  return { name: 'example.com', type: 'MX', status, records: [], cnameChain: [], server, message };
}

describe('describeStatus: each fact once', () => {
  const ok = (status: LookupStatus, message: string | null, expected: string, server?: string | null) =>
    it(`${status} ${JSON.stringify(message)} -> ${expected}`, () => {
      const text = describeStatus(lookup(status, message, server));
      expect(text).toBe(expected);
      // No status word said twice ("REFUSED: 127.0.0.1:5399: REFUSED").
      for (const word of ['REFUSED', 'SERVFAIL', 'timed out', 'no answer']) expect(text.split(word).length, word).toBeLessThanOrEqual(2);
    });
  ok('refused', '127.0.0.1:5399: REFUSED', '127.0.0.1:5399 answered REFUSED');
  ok('refused', '127.0.0.1:5399: REFUSED (2 tries)', '127.0.0.1:5399 answered REFUSED (2 tries)');
  ok(
    'servfail',
    '127.0.0.1:53: SERVFAIL; [::1]:53: no answer within 2500 ms',
    '127.0.0.1:53 answered SERVFAIL; [::1]:53: no answer within 2500 ms',
    '127.0.0.1:53',
  );
  ok(
    'error',
    '127.0.0.1:5399: connection refused (nothing listening) (2 tries)',
    'no answer: 127.0.0.1:5399: connection refused (nothing listening) (2 tries)',
  );
  ok('timeout', 'no answer in time', 'timed out: no answer in time (192.0.2.53:53)', '192.0.2.53:53');
  ok('timeout', null, 'timed out (127.0.0.1:5399)');
  ok('nxdomain', null, 'no such name (NXDOMAIN)');
  ok('nodata', null, 'no records (NODATA)');
});

describe('evidence is data', () => {
  it('a record: name, type, value, TTL', () => {
    const r: LookupResult = {
      ...lookup('ok', null),
      records: [{ type: 'MX', name: 'example.com', ttl: 3600, priority: 10, exchange: 'mx.example.com' }],
    };
    expect(lookupEvidence(r)).toEqual([{ name: 'example.com', type: 'MX', value: '10 mx.example.com', ttl: 3600, status: 'ok' }]);
  });
  it('TXT keeps its character-strings and gives the joined text as value', () => {
    const r: LookupResult = {
      ...lookup('ok', null),
      type: 'TXT',
      records: [{ type: 'TXT', name: 'example.com', ttl: 60, text: 'v=spf1 -all', strings: ['v=spf1', ' -all'] }],
    };
    expect(lookupEvidence(r)).toEqual([
      { name: 'example.com', type: 'TXT', value: 'v=spf1 -all', strings: ['v=spf1', ' -all'], ttl: 60, status: 'ok' },
    ]);
  });
  it('CNAME links followed, then the records', () => {
    const r: LookupResult = {
      ...lookup('ok', null),
      type: 'A',
      name: 'mx.example.com',
      cnameChain: ['mail.example.net'],
      records: [{ type: 'A', name: 'mail.example.net', ttl: 5, address: '192.0.2.1' }],
    };
    expect(lookupEvidence(r)).toEqual([
      { name: 'mx.example.com', type: 'CNAME', value: 'mail.example.net', ttl: null, status: 'ok' },
      { name: 'mail.example.net', type: 'A', value: '192.0.2.1', ttl: 5, status: 'ok' },
    ]);
  });
  it('a lookup without records: null value, the status and what happened', () => {
    expect(lookupEvidence(lookup('refused', '127.0.0.1:5399: REFUSED'))).toEqual([
      { name: 'example.com', type: 'MX', value: null, ttl: null, status: 'refused', detail: '127.0.0.1:5399 answered REFUSED' },
    ]);
    expect(couldNotAsk(lookup('refused', '127.0.0.1:5399: REFUSED'))).toBe(
      'could not look up MX example.com: 127.0.0.1:5399 answered REFUSED',
    );
  });
});
