import { describe, expect, it } from 'vitest';
import { addressValue, diagnosticValue, mtaValue, parseDeliveryStatus, replyCodeOf, statusValue } from '../../src/bounce/dsn.js';

describe('delivery-status field values (RFC 3464 §2.3)', () => {
  const address = (input: string, expected: string | null) =>
    it(`address ${JSON.stringify(input)}`, () => expect(addressValue(input)).toBe(expected));
  address('rfc822; user@example.com', 'user@example.com');
  address('RFC822;<user@example.com>', 'user@example.com');
  address('rfc822; "a..b"@example.com', '"a..b"@example.com');
  address('utf-8; \\x{7528}\\x{6237}@example.net', '用户@example.net');
  address(
    'rfc822; IMCEAEX-_O=CONTOSO_cn=Recipients_cn=user+20name@contoso.example',
    'IMCEAEX-_O=CONTOSO_cn=Recipients_cn=user+20name@contoso.example',
  );
  address('user@example.com', 'user@example.com');
  address('', null);

  const status = (input: string, expected: string | null) =>
    it(`status ${JSON.stringify(input)}`, () => expect(statusValue(input)).toBe(expected));
  status('5.1.1', '5.1.1');
  status('5.0.0 (permanent failure)', '5.0.0');
  status('4.04.007', '4.4.7');
  status('delivered', null);

  it('reads the MTA name and the diagnostic text', () => {
    expect(mtaValue('dns; mx.example.net')).toBe('mx.example.net');
    expect(mtaValue('dns; [192.0.2.1]')).toBe('192.0.2.1');
    expect(diagnosticValue('smtp; 550 5.1.1 <x@example.com>...\n    User unknown')).toBe('550 5.1.1 <x@example.com>... User unknown');
    expect(diagnosticValue('X-Postfix; host mx[192.0.2.1] said: 550')).toBe('host mx[192.0.2.1] said: 550');
    expect(replyCodeOf('550 5.1.1 unknown')).toBe('550');
    expect(replyCodeOf('#550 5.1.1')).toBe('550');
    expect(replyCodeOf('host mx said')).toBeNull();
  });
});

describe('parseDeliveryStatus', () => {
  it('reads the per-message group and one group per recipient, with folding', () => {
    const ds = parseDeliveryStatus(
      [
        'Reporting-MTA: dns; mx.contoso.example',
        'Arrival-Date: Tue, 5 Mar 2024 09:13:59 +0000',
        '',
        'Original-Recipient: rfc822;info@contoso.example',
        'Final-Recipient: rfc822; a@fabrikam.example',
        'Action: failed',
        'Status: 5.1.1',
        'Remote-MTA: dns; mx.fabrikam.example',
        'Diagnostic-Code: smtp; 550 5.1.1 <a@fabrikam.example>:',
        '    Recipient address rejected: User unknown',
        '',
        'Final-Recipient: rfc822; b@fabrikam.example',
        'Action: delayed',
        'Status: 4.4.1',
        'Will-Retry-Until: Sun, 10 Mar 2024 09:13:59 +0000',
        '',
      ].join('\r\n'),
    );
    expect(ds.reportingMta).toBe('mx.contoso.example');
    expect(ds.arrivalDate).toBe('Tue, 5 Mar 2024 09:13:59 +0000');
    expect(ds.recipients).toHaveLength(2);
    expect(ds.recipients[0]).toMatchObject({
      recipient: 'a@fabrikam.example',
      originalRecipient: 'info@contoso.example',
      action: 'failed',
      status: '5.1.1',
      replyCode: '550',
      remoteMta: 'mx.fabrikam.example',
      diagnostic: '550 5.1.1 <a@fabrikam.example>: Recipient address rejected: User unknown',
    });
    expect(ds.recipients[1]).toMatchObject({
      recipient: 'b@fabrikam.example',
      action: 'delayed',
      status: '4.4.1',
      willRetryUntil: 'Sun, 10 Mar 2024 09:13:59 +0000',
    });
  });

  it('splits recipients that a sloppy MTA wrote without blank lines between them', () => {
    const ds = parseDeliveryStatus(
      'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.2.2\nFinal-Recipient: rfc822; b@x.example\nAction: failed\nStatus: 5.1.1\n',
    );
    expect(ds.recipients.map((r) => [r.recipient, r.status])).toEqual([
      ['a@x.example', '5.2.2'],
      ['b@x.example', '5.1.1'],
    ]);
  });

  it('keeps a bare CR inside a value instead of splitting on it', () => {
    const ds = parseDeliveryStatus(
      'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 SPF: fail\rSPF: pass\n',
    );
    expect(ds.recipients[0]!.diagnostic).toBe('550 SPF: fail\rSPF: pass');
  });
});
