/**
 * Codes only where codes stand, and the recipients a report lists: real messages
 * in test/fixtures/eml/<case>/message.eml, one line each. A version number
 * ("wxPython 2.3.0", "X-Mailman-Version: 2.1.12rc2", "mxl_mta-5.5.0-3") is never
 * a failure's status, a 2.x.x code never is, and Exchange 5.5/2000/2003 reports
 * give the recipients they list, not the returned message's To.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounce/parse.js';

const DIR = fileURLToPath(new URL('../fixtures/eml/', import.meta.url));

/** recipient, status, statusInferred, reply code */
type Row = [string | null, string | null, boolean, string | null];

const CASES: Record<string, Row[]> = {
  // Exchange 5.5: the recipient as an X.400 address with dda:SMTP=; "wxPython 2.3.0" in the quoted Subject.
  'exchange55-x400-recipient': [['tomas@fabrikam.example', '5.1.1', true, null]],
  // Exchange 2000/2003: "SMTP:address on <date>", "Name <address> on <date>", "Name [SMTP:address] on <date>";
  // the returned message went to a list.
  'exchange2000-recipient-list': [
    ['erik.lind@fabrikam.example', '5.1.1', false, null],
    ['lars.holm@fabrikam.example', '5.2.2', false, '552'],
    ['mette.jensen@fabrikam.example', '5.7.1', false, '550'],
  ],
  // A list server quotes the posting's headers, X-Mailman-Version: 2.1.12rc2 among them.
  'version-in-quoted-header': [['h.olsen@northwind.example', null, false, '550']],
  // A Received line of the returned message: "(mxl_mta-5.5.0-3)".
  'version-in-received-line': [['erik.lind@fabrikam.example', '5.2.1', true, null]],
  // Postfix's transcript: "250 2.1.5 Ok" to RCPT TO, then "451 4.3.0" to DATA.
  'postfix-transcript-queue-error': [['mette.jensen@contoso.example', '4.3.0', false, '451']],
  // A gateway's DSN copies the RCPT reply's 2.1.5 into Status of a failed recipient; the server's reply says why.
  'dsn-success-status-on-failure': [['p.kowalski@northwind.example', '5.2.1', false, '550']],
  // "Did not reach the following recipient: <address>" on the heading's line; the "Your Message" block's To is another address.
  'recipient-on-heading-line': [['orders@fabrikam.example', '5.1.1', true, null]],
  // A gateway quotes the message's To line above the one recipient that failed: the To line names no failure.
  'returned-to-line-not-recipient': [['orders@fabrikam.example', '5.1.1', true, null]],
};

describe('codes only where codes stand; the recipients a report lists', () => {
  it.each(Object.entries(CASES))('%s', async (name, rows) => {
    const raw = readFileSync(`${DIR}${name}/message.eml`);
    const b = await parseBounce(raw);
    expect(b.messageKind).toBe('ndr');
    expect(b.recipients.map((r) => [r.recipient, r.status, r.statusInferred, r.replyCode])).toEqual(rows);
    for (const r of b.recipients) {
      // A failed recipient's status is never a 2.x.x code, and a code not flagged as inferred stands in the message.
      expect(r.status ?? '').not.toMatch(/^2\./);
      if (r.status && !r.statusInferred) expect(raw.toString('latin1')).toContain(r.status);
    }
  });
});
