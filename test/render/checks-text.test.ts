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

  it('escapes control and bidi characters that came from DNS', async () => {
    const text = renderCheckReport(
      await report({ ...TABLE, 'contoso.com TXT': ['v=spf1 include:spf.protection.outlook.com \u202e\u009b31m -all'] }),
      { style: plainStyle, width: 79 },
    );
    expect(text).toContain('\\u202e\\x9b31m');
    expect(text).not.toMatch(/[\u202e\u009b]/);
  });
});
