/**
 * The Exchange text parser on its own (no delivery-status part to lean on):
 * every layout in every language of the phrase table.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_LANGUAGES } from '../../src/bounce/exchange-phrases.js';
import { parseExchangeText } from '../../src/bounce/exchange.js';
import { parseMime } from '../../src/bounce/mime.js';
import { findCodes } from '../../src/bounce/text-util.js';

const DIR = fileURLToPath(new URL('../fixtures/eml/', import.meta.url));

const ok = (file: string, layout: string, lang: string, generatingServer: string, recipient: string, code: string) =>
  [file, layout, lang, generatingServer, recipient, code] as const;

const CASES = [
  ok('exchange-new-en.eml', 'exchange-new', 'en', 'AM6PR08MB4118.eurprd08.prod.outlook.com', 'tomas@fabrikam.example', '5.1.10'),
  ok('exchange-new-nb.eml', 'exchange-new', 'nb', 'GV0P278MB0163.CHEP278.PROD.OUTLOOK.COM', 'ingrid.dahl@fabrikam.example', '5.4.1'),
  ok('exchange-new-da.eml', 'exchange-new', 'da', 'VI1PR03MB6206.eurprd03.prod.outlook.com', 'lars.holm@fabrikam.example', '5.7.350'),
  ok('exchange-new-sv.eml', 'exchange-new', 'sv', 'SJ2PEPF00001A8E.namprd03.prod.outlook.com', 'erik.lind@fabrikam.example', '5.7.708'),
  ok('exchange-new-de.eml', 'exchange-new', 'de', 'FR2P281MB0423.DEUP281.PROD.OUTLOOK.COM', 'jonas.weber@fabrikam.example', '5.7.606'),
  ok('exchange-legacy-nb.eml', 'exchange-legacy', 'nb', 'EX02.contoso.example', 'kari.hansen@contoso.example', '5.2.2'),
  ok('exchange-legacy-da.eml', 'exchange-legacy', 'da', 'EX03.contoso.example', 'salg@contoso.example', '5.7.1'),
  ok('exchange-legacy-sv.eml', 'exchange-legacy', 'sv', 'EX04.contoso.example', 'erik.lind@fabrikam.example', '5.1.1'),
  ok('exchange-legacy-de.eml', 'exchange-legacy', 'de', 'EX05.contoso.example', 'jonas.weber@fabrikam.example', '5.3.4'),
];

describe('parseExchangeText', () => {
  it.each(CASES)('%s: %s, %s', async (file, layout, lang, generatingServer, recipient, code) => {
    const view = await parseMime(readFileSync(DIR + file));
    const ndr = parseExchangeText(view.text)!;
    expect(ndr).not.toBeNull();
    expect([ndr.layout, ndr.language, ndr.generatingServer]).toEqual([layout, lang, generatingServer]);
    expect(ndr.recipients.map((r) => r.recipient)).toEqual([recipient]);
    expect(findCodes(ndr.recipients[0]!.diagnostic ?? '')[0]?.status).toBe(code);
    expect(ndr.originalHeadersAt).not.toBeNull();
  });

  it('reads the legacy renderings of the SMTP reply', () => {
    const text = (body: string) =>
      `Delivery has failed to these recipients or groups:\n\na@fabrikam.example\nSorry.\n\nDiagnostic information for administrators:\n\nGenerating server: ex.contoso.example\n\na@fabrikam.example\n${body}\n\nOriginal message headers:\n`;
    const read = (body: string) => parseExchangeText(text(body))!.recipients[0]!;
    expect(read("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'")).toMatchObject({
      diagnostic: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    });
    expect(read('#550 4.4.7 QUEUE.Expired; message expired ##')).toMatchObject({ diagnostic: '550 4.4.7 QUEUE.Expired; message expired' });
    expect(
      read('mail.fabrikam.example #<exchange.fabrikam.example #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#'),
    ).toMatchObject({
      diagnostic: '530 5.7.1 Client was not authenticated',
      remoteMta: 'mail.fabrikam.example',
    });
    expect(
      read("3/9/2024 8:05:56 PM - Remote Server at mx.fabrikam.example (198.51.100.3) returned '550 4.4.7 QUEUE.Expired; message expired'"),
    ).toMatchObject({ remoteMta: 'mx.fabrikam.example' });
  });

  it('is not fooled by text that only mentions Exchange', () => {
    expect(parseExchangeText('We moved to Exchange Online last week. How to Fix It: call the helpdesk.')).toBeNull();
  });

  it('has every heading in every language of the table', () => {
    for (const l of EXCHANGE_LANGUAGES) {
      for (const [key, value] of Object.entries(l)) {
        if (key === 'lang') continue;
        const list = key === 'parties' ? Object.values(value as Record<string, string[]>).flat() : (value as string[]);
        expect(list.length, `${l.lang}.${key}`).toBeGreaterThan(0);
      }
    }
  });
});
