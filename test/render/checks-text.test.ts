import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.js';
import type { CheckReport } from '../../src/checks/types.js';
import { renderCheckReport } from '../../src/render/checks-text.js';
import { createStyle } from '../../src/render/chalk-style.js';
import { plainStyle } from '../../src/render/style.js';
import { recordedResolver, type Table } from '../checks/recorded-resolver.js';

const TABLE: Table = {
  'spf.protection.outlook.com TXT': ['v=spf1 ip4:40.92.0.0/15 -all'],
  'contoso.com MX': ['0 contoso-com.mail.protection.outlook.com', '10 backup.contoso.com'],
  'contoso-com.mail.protection.outlook.com A': ['192.0.2.25'],
  'backup.contoso.com A': ['192.0.2.26'],
  'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com ?all'],
  '_dmarc.contoso.com TXT': 'timeout',
  'selector1._domainkey.contoso.com CNAME': ['selector1-contoso-com._domainkey.contoso.onmicrosoft.com'],
  'selector2._domainkey.contoso.com CNAME': ['selector2-contoso-com._domainkey.contoso.onmicrosoft.com'],
  'autodiscover.contoso.com CNAME': ['autodiscover.outlook.com'],
};

async function report(table: Table = TABLE): Promise<CheckReport> {
  return runChecks('contoso.com', recordedResolver(table), { now: () => 0 });
}

describe('renderCheckReport', () => {
  it('lays out one line per check, then details of what does not pass (colour off)', async () => {
    expect(renderCheckReport(await report(), { style: plainStyle, width: 79 })).toMatchSnapshot();
  });

  it('colours only the status labels', async () => {
    const text = renderCheckReport(await report(), { style: createStyle(1), width: 79 });
    expect(text).toContain('\u001b[32mPASS ');
    expect(text).toContain('\u001b[31m\u001b[1mFAIL ');
    expect(text).toContain('\u001b[33mWARN ');
    expect(text).toContain('\u001b[36mERROR');
  });

  const widths = [59, 79, 119];
  for (const width of widths) {
    it(`no line is wider than ${width} columns, and only a link longer than a line is cut`, async () => {
      const text = renderCheckReport(
        await report({
          ...TABLE,
          'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com a:relay.contoso.com exists:%{i}.spf.contoso.com ?all'],
        }),
        { style: plainStyle, width },
      );
      const lines = text.split('\n');
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      // Words stay whole: every word of the messages is on one line.
      expect(text).toContain('include:spf.protection.outlook.com');
      const url =
        'https://learn.microsoft.com/en-us/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider';
      expect(
        lines
          .filter((l) => l.trim() && url.includes(l.trim()))
          .join('')
          .replace(/ /g, ''),
      ).toContain(url);
    });
  }

  it('when nothing answered: one line naming the server and the reason', async () => {
    const table: Table = Object.fromEntries(Object.keys(TABLE).map((k) => [k, 'refused' as const]));
    const r = await runChecks('contoso.com', recordedResolver(table, ['127.0.0.1:5399']), { now: () => 0 });
    const text = renderCheckReport(r, { style: plainStyle, width: 79 });
    expect(text).toBe('Mail DNS of contoso.com: not checked: REFUSED (127.0.0.1:5399)');
  });

  it('the SPF breakdown adds up to the total it shows', async () => {
    const text = renderCheckReport(
      await report({
        ...TABLE,
        'contoso.com TXT': [`v=spf1 include:spf.protection.outlook.com include:big.contoso.com -all`],
        'big.contoso.com TXT': [`v=spf1 ${Array.from({ length: 9 }, (_, i) => `a:h${i}.contoso.com`).join(' ')} mx ptr -all`],
      }),
      { style: plainStyle, width: 79 },
    );
    const block = text.slice(text.indexOf('SPF lookups'));
    const rows = [...block.matchAll(/^ {4} +(\d+) {2}(?!lookups in all)/gm)].map((m) => Number(m[1]));
    const total = Number(/^ {4} +(\d+) {2}lookups in all/m.exec(block)![1]);
    expect(total).toBe(13);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(total);
    expect(block).toMatch(/^ {6}1 {2}include:big\.contoso\.com$/m);
    expect(block).toMatch(/^ {6}1 {4}mx \(void\)$/m);
    expect(block).toMatch(/^ {6}1 {4}ptr \(not asked: needs the connecting address\)$/m);
  });

  it('escapes control and bidi characters that came from DNS', async () => {
    const text = renderCheckReport(
      await report({ ...TABLE, 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com \u202e\u009b31m -all'] }),
      { style: plainStyle, width: 79 },
    );
    expect(text).toContain('\\u202e\\x9b31m');
    expect(text).not.toMatch(/[\u202e\u009b]/);
  });
});
