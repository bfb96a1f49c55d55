/**
 * The fields below an Exchange NDR's headings, one function at a time: the
 * lines that name a recipient, and the rows of the "Message Hops" table.
 */
import { describe, expect, it } from 'vitest';
import { addressLine, parseHops } from '../../src/bounce/exchange-fields.js';

const ok = (line: string, address: string | null) => [line, address] as const;

describe('addressLine', () => {
  it.each([
    ok('user@example.com', 'user@example.com'),
    ok('  Tomas Berg (tomas@fabrikam.example)  ', 'tomas@fabrikam.example'),
    ok('Tomas Berg <tomas@fabrikam.example>', 'tomas@fabrikam.example'),
    ok('Tomas Berg [SMTP:tomas@fabrikam.example]', 'tomas@fabrikam.example'),
    ok('tomas@fabrikam.example<mailto:tomas@fabrikam.example>', 'tomas@fabrikam.example'),
    ok('tomas@fabrikam.example on 3/9/2024 8:05 PM', 'tomas@fabrikam.example'),
    ok('SMTP:tomas@fabrikam.example on Mon, 9 Mar 2024', 'tomas@fabrikam.example'),
    ok('c=US;a= ;p=Org;o=Site;dda:SMTP=tomas@fabrikam.example; on 3/9/2024', 'tomas@fabrikam.example'),
    ok('Your message to tomas@fabrikam.example could not be delivered.', null),
    ok('', null),
    ok(`${'x'.repeat(400)}@fabrikam.example`, null),
  ])('%j -> %j', (line, address) => {
    expect(addressLine(line, 'fit')).toBe(address);
  });
});

describe('parseHops', () => {
  it('reads numbered rows split by tabs or runs of spaces, and skips the rest', () => {
    const lines = [
      'Hop  Time (UTC)  From  To  With  Relay Time',
      '1\t3/9/2024 8:05:55 PM\tAM6PR08MB4118.eurprd08.prod.outlook.com\tAM6PR08MB4118.eurprd08.prod.outlook.com\tmapi\t*',
      '2   3/9/2024 8:05:56 PM   AM6PR08MB4118   mx.fabrikam.example   Microsoft SMTP Server   1 sec',
      'not a hop',
    ];
    expect(parseHops(lines, 0, lines.length)).toEqual([
      {
        hop: 1,
        time: '3/9/2024 8:05:55 PM',
        from: 'AM6PR08MB4118.eurprd08.prod.outlook.com',
        to: 'AM6PR08MB4118.eurprd08.prod.outlook.com',
        with: 'mapi',
        relayTime: '*',
      },
      {
        hop: 2,
        time: '3/9/2024 8:05:56 PM',
        from: 'AM6PR08MB4118',
        to: 'mx.fabrikam.example',
        with: 'Microsoft SMTP Server',
        relayTime: '1 sec',
      },
    ]);
    expect(parseHops(lines, 2, 3).map((h) => h.hop)).toEqual([2]);
  });
});
