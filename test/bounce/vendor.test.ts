/**
 * Vendors' own tables (src/bounce/vendor.ts, src/knowledge/vendor-reasons.ts):
 * a bounce that carries a vendor's signature gets the reason that vendor's
 * words stand for; the same words without the signature are left to the
 * general rules (the stage rule makes a "user unknown" with no stage
 * filtered). Apple Mail's unsubscribe request is a feedback report, and a
 * feedback report that names no recipient is still one finding.
 */
import { describe, expect, it } from 'vitest';
import { explainBounce } from '../../src/explain/bounce.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { recogniseVendor } from '../../src/bounce/vendor.js';
import { hostTableReason, vendorTableReason } from '../../src/knowledge/vendor-reasons.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';

const kb = loadKnowledgeBase();
const RCPT = 'bob@fabrikam.example';

const message = (headers: string, body: string) =>
  Buffer.from(`${headers}\nTo: anna@contoso.example\nMIME-Version: 1.0\nContent-Type: text/plain\n\n${body}`);
const reasons = async (bytes: Buffer) => explainBounce(kb, await parseBounce(bytes)).findings.map((f) => f.finding.reason);

const domino = `Your message\n\n  Subject: Hello\n\nwas not delivered to:\n\n  ${RCPT}\n\nbecause:\n\n  User bob (${RCPT}) not listed in Domino Directory\n`;
const exchange2003 = `Your message\n\n  To:      ${RCPT}\n  Subject: Hello\n\ndid not reach the following recipient(s):\n\n${RCPT} on Thu, 29 Apr 2010 23:34:45 +0900\n    The recipient name is not recognized\n    The MTS-ID of the original message is: c=jp;a= ;p=neko;l=NEKO\n    MSEXCH:IMS:NNN:KIJITORACAT:NEKO 0 (000C05A6) Unknown Recipient\n`;
const imail = `Body of message generated response:\n\nUnknown user: ${RCPT}\n\nOriginal message follows.\n`;
const mcafee = `--- The following addresses had delivery problems ---\n\n<${RCPT}>   (User unknown)\n\n550 ${RCPT}... No such user\n`;
const exim = `This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ${RCPT}\n    user not found\n`;
const verizon = `Message could not be delivered to mobile.\nError: No valid recipients for this MM\n\n  To: ${RCPT}\n  Subject: test\n`;

describe('vendor signatures and their tables', () => {
  // [name, headers with the signature, the same without it, body, reason with the signature, reason without]
  const rows: [string, string, string, string, string, string][] = [
    [
      'Domino: "DELIVERY FAILURE:" subject',
      'From: Postmaster@contoso.example\nSubject: DELIVERY FAILURE: User bob not listed',
      'From: Postmaster@contoso.example\nSubject: Delivery failure notice',
      domino,
      'userunknown',
      'filtered',
    ],
    [
      'Exchange 2003: its MSEXCH error number, X-Mailer Internet Mail Service',
      'From: postmaster@contoso.example\nSubject: Undeliverable: Hello\nX-Mailer: Internet Mail Service (5.5.2653.19)',
      'From: postmaster@contoso.example\nSubject: Undeliverable: Hello',
      exchange2003,
      'userunknown',
      'filtered',
    ],
    [
      'IMail: "Undeliverable Mail" subject',
      'From: postmaster@contoso.example\nSubject: Undeliverable Mail',
      'From: postmaster@contoso.example\nSubject: Undeliverable mail to bob',
      imail,
      'userunknown',
      'filtered',
    ],
    [
      'McAfee: X-NAI-Header and "Delivery Status"',
      'From: postmaster@contoso.example\nSubject: Delivery Status\nX-NAI-Header: Modified by McAfee Email Gateway',
      'From: postmaster@contoso.example\nSubject: Delivery Status',
      mcafee,
      'userunknown',
      'filtered',
    ],
    [
      'Exim: its own words, no remote reply',
      'From: Mail Delivery System <Mailer-Daemon@mx.contoso.example>\nSubject: Mail delivery failed: returning message to sender',
      'From: MAILER-DAEMON@mx.contoso.example\nSubject: Undelivered mail',
      exim,
      'userunknown',
      'filtered',
    ],
    [
      'Verizon: relayed through vtext.com from its post master',
      'From: post_master@vtext.com\nSubject: Undeliverable Message\nReceived: from smtp.vtext.com (smtp.vtext.com [192.0.2.5]) by mx.contoso.example',
      'From: post_master@contoso.example\nSubject: Undeliverable Message',
      verizon,
      'userunknown',
      'onhold',
    ],
  ];
  for (const [name, signed, unsigned, body, withSig, without] of rows) {
    it(`${name} -> ${withSig}`, async () => expect(await reasons(message(signed, body))).toEqual([withSig]));
    it(`${name}, without the signature -> ${without}`, async () => expect(await reasons(message(unsigned, body))).toEqual([without]));
  }
});

describe('recogniseVendor', () => {
  const h = (o: Record<string, string | string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const rows: [string, Map<string, string[]>, string | null][] = [
    ['Domino, DELIVERY_FAILURE', h({ subject: 'DELIVERY_FAILURE: x' }), 'domino'],
    ['not Domino: the words in lower case', h({ subject: 'Delivery failure: x' }), null],
    ['Exchange 2003 by its embedded report header', h({ 'x-ms-embedded-report': '' }), 'exchange2003'],
    [
      'Exchange 2003 by its Received line',
      h({ received: ['by mx.contoso.example with Internet Mail Service (5.5.2653.19)'] }),
      'exchange2003',
    ],
    ['EZweb needs two marks', h({ from: 'Postmaster@ezweb.ne.jp', subject: 'Mail System Error - Returned Mail' }), 'ezweb'],
    ['EZweb, one mark only', h({ from: 'Postmaster@ezweb.ne.jp', subject: 'Returned mail' }), null],
    ['Verizon needs its relay and its sender', h({ from: 'post_master@vtext.com' }), null],
    [
      'fml: X-MLServer, -admin sender and its Message-ID',
      h({ 'x-mlserver': 'fml', from: 'list-admin@contoso.example', 'message-id': '<200401010000.FMLAAA1234.list@contoso.example>' }),
      'fml',
    ],
    [
      'not fml without its Message-ID form',
      h({ 'x-mlserver': 'fml', from: 'list-admin@contoso.example', 'message-id': '<abc@contoso.example>' }),
      null,
    ],
    ['InterScan by its sender name', h({ from: '"InterScan MSS" <postmaster@contoso.example>' }), 'interscan'],
    ['qmail by its subject', h({ subject: 'failure notice' }), 'qmail'],
    [
      "Google's DSN needs all three marks",
      h({
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        subject: 'Delivery Status Notification (Failure)',
        'x-gm-message-state': 'x',
      }),
      'gmail-dsn',
    ],
    [
      "Gmail's older DSN without X-Gm-Message-State",
      h({ from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>', subject: 'Delivery Status Notification (Failure)' }),
      'gmail',
    ],
    [
      'not Google: the same subject from another sender',
      h({ from: 'MAILER-DAEMON@contoso.example', subject: 'Delivery Status Notification (Failure)' }),
      null,
    ],
    [
      'Exim: its sender and its subject',
      h({ from: 'Mail Delivery System <Mailer-Daemon@mx.contoso.example>', subject: 'Mail delivery failed: returning message to sender' }),
      'exim',
    ],
    [
      'not Exim: its subject only',
      h({ from: 'MAILER-DAEMON@mx.contoso.example', subject: 'Mail delivery failed: returning message to sender' }),
      null,
    ],
    ['Lotus Notes by its subject', h({ subject: 'Undeliverable message' }), 'notes'],
    ['Courier by its sender', h({ from: 'Courier mail server at mx.contoso.example <@>' }), 'courier'],
    ['an ordinary bounce', h({ from: 'MAILER-DAEMON@contoso.example', subject: 'Undelivered Mail Returned to Sender' }), null],
  ];
  for (const [name, headers, vendor] of rows) it(`${name} -> ${vendor}`, () => expect(recogniseVendor(headers)).toBe(vendor));
});

describe('vendor tables', () => {
  const rows: [Parameters<typeof vendorTableReason>[0], string, string | null][] = [
    ['exchange2003', 'MSEXCH:IMS:X:Y:Z 0 (000C0595) Ambiguous Recipient', 'filtered'],
    ['exchange2003', 'MSEXCH:IMS:X:Y:Z 0 (00120270) Too Many Hops', 'networkerror'],
    ['exchange2003', 'Recipient Not Found MSEXCH:IMC:X:Y:Z', null],
    ['domino', 'Cannot route mail to user (bob@fabrikam.example)', 'filtered'],
    ['imail', 'User mailbox exceeds allowed size: bob@fabrikam.example', 'mailboxfull'],
    ['ezweb', 'The user(s) account is temporarily over quota.', 'mailboxfull'],
    ['ezweb', 'Each of the following recipients was rejected by a remote mail server.', 'filtered'],
    ['fml', 'You are not a member of this mailing list <list@contoso.example>.', 'rejected'],
    ['fml', 'Duplicated Message-ID in <list@contoso.example>.', 'systemerror'],
    ['qmail', "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", 'networkerror'],
    ['qmail', 'Sorry, no mailbox here by that name. (#5.1.1)', 'userunknown'],
    ['interscan', 'Reason: Unable to deliver message to <bob@fabrikam.example>', 'userunknown'],
    ['mcafee', '550 Requested action not taken: mailbox unavailable', null],
    ['notes', 'User not listed in public Name & Address Book', 'userunknown'],
    ['courier', '550 No such domain.', 'hostunknown'],
    ['courier', 'DNS lookup failed.', 'networkerror'],
  ];
  for (const [vendor, text, reason] of rows)
    it(`${vendor}: ${text} -> ${reason}`, () => expect(vendorTableReason(vendor, text)).toBe(reason));

  // Gmail's "(state N)" stands only where the reply carries no specific status code.
  const gmail: [string, string | null, string | null][] = [
    ['554 5.7.0 Header error (state 18).', '5.7.0', 'filtered'],
    ['500 Unknown command (state 6).', null, 'systemerror'],
    ['550 5.7.1 <bob@fabrikam.example>... Access denied (state 13).', '5.7.1', null],
    ['450 4.2.2 <bob@fabrikam.example>... Mailbox Full (state 14).', '4.2.2', null],
    ['550 User unknown (state 14).', '5.0.0', 'userunknown'],
  ];
  for (const [text, status, reason] of gmail)
    it(`gmail, status ${status}: ${text} -> ${reason}`, () => expect(vendorTableReason('gmail', text, status)).toBe(reason));
});

describe('receiving hosts known by name (NTT DOCOMO)', () => {
  const rows: [string, string, string | null, string, string | null][] = [
    ['mfsmax.docomo.ne.jp', '5.0.0', 'DATA', '550 Unknown user bob@docomo.example', 'rejected'],
    ['mfsmax.docomo.ne.jp', '5.0.0', 'RCPT', '550 Unknown user bob@docomo.example', 'userunknown'],
    ['mfsmax.docomo.ne.jp', '5.2.0', 'DATA', '550 Unknown user', 'filtered'],
    ['mfsmax.docomo.ne.jp', '5.0.0', 'DATA', '552 too many recipients', 'toomanyconn'],
    ['mfsmax.docomo.ne.jp', '5.0.0', null, '550 Unknown user', null],
    ['mx.fabrikam.example', '5.0.0', 'DATA', '550 Unknown user', null],
  ];
  for (const [host, status, command, text, reason] of rows)
    it(`${host} ${status} ${command}: ${text} -> ${reason}`, () => expect(hostTableReason(host, status, command, text)).toBe(reason));
});

describe("Apple Mail's unsubscribe request", () => {
  const head = 'From: carl@icloud.example\nSubject: unsubscribe\nAuto-Submitted: auto-replied';
  const body = 'Apple Mail sent this email to unsubscribe from the message "Newsletter".\n';
  it('is a feedback report from its sender, though marked auto-replied', async () => {
    const b = await parseBounce(message(`${head}\nX-Apple-Unsubscribe: true`, body));
    expect(b.messageKind).toBe('feedback-report');
    expect(b.recipients.map((r) => r.recipient)).toEqual(['carl@icloud.example']);
    expect(explainBounce(kb, b).findings.map((f) => f.finding.reason)).toEqual(['feedback']);
  });
  it('without the header, the auto-reply marks decide', async () => {
    expect((await parseBounce(message(head, body))).messageKind).toBe('auto-reply');
  });
});

describe('a feedback report that names no recipient', () => {
  it('is still one finding, with no address', async () => {
    const arf = [
      'From: fbl@isp.example',
      'To: abuse@contoso.example',
      'Subject: FW: Hello',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'A complaint.',
      '--b',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: opt-out',
      'User-Agent: FBL/1.0',
      'Version: 1',
      '--b--',
      '',
    ].join('\n');
    const b = await parseBounce(Buffer.from(arf));
    expect(b.messageKind).toBe('feedback-report');
    expect(b.recipients.map((r) => [r.recipient, r.diagnostic])).toEqual([[null, 'feedback type: opt-out']]);
    expect(explainBounce(kb, b).findings.map((f) => f.finding.reason)).toEqual(['feedback']);
  });
});
