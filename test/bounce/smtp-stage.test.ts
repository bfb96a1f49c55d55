/**
 * The SMTP stage a failure came in reply to (src/bounce/smtp-command.ts), and
 * what it does to the reason: "User unknown" in reply to DATA is the
 * recipient's side filtering the message (filtered), and so is a remote
 * server's reply of those words where neither the stage nor a code says it is
 * the address; at MAIL FROM it is the sender address (rejected); a bare
 * refusal at EHLO refuses the client (blocked); at RCPT or with an address code
 * (x.1.1, Exchange's 5.1.3xx) the words stand. The reporting system's own
 * words with no stage are filtered too, unless its vendor's own table says
 * otherwise (test/bounce/vendor.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { explainBounce } from '../../src/explain/bounce.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { failedCommand } from '../../src/bounce/smtp-command.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';

const kb = loadKnowledgeBase();
const HEAD = 'From: MAILER-DAEMON@mx.contoso.example\nTo: anna@contoso.example\nSubject: Undelivered Mail Returned to Sender\n\n';
const RCPT = 'bob@fabrikam.example';

const postfix = (stage: string, code = '550') =>
  `This is the mail system at host mx.contoso.example.\n\n<${RCPT}>: host mx.fabrikam.example[192.0.2.1] said: ${code}\n    <${RCPT}>: User unknown (in reply to ${stage} command)\n`;
const exim = (stage: string) =>
  `This message was created automatically by mail delivery software.\n\n  ${RCPT}\n    SMTP error from remote mail server after ${stage}:\n    550 ${RCPT}: User unknown\n`;
const sendmail = (sent: string) =>
  `   ----- The following addresses had permanent fatal errors -----\n<${RCPT}>\n    (reason: 550 User unknown)\n\n   ----- Transcript of session follows -----\n... while talking to mx.fabrikam.example.:\n>>> ${sent}\n<<< 550 ${RCPT}... User unknown\n`;

describe('the failed SMTP command', () => {
  const rows: [string, string, string | null][] = [
    ['Postfix, end of DATA', postfix('end of DATA'), 'DATA'],
    ['Postfix, RCPT TO', postfix('RCPT TO'), 'RCPT'],
    ['Postfix, MAIL FROM', postfix('MAIL FROM'), 'MAIL'],
    ['Exim, after end of data', exim('end of data'), 'DATA'],
    ['Exim, after RCPT TO', exim(`RCPT TO:<${RCPT}>`), 'RCPT'],
    ['sendmail transcript, DATA', sendmail('DATA'), 'DATA'],
    ['sendmail transcript, RCPT', sendmail(`RCPT To:<${RCPT}>`), 'RCPT'],
    ['no stage shown', `<${RCPT}>: 550 User unknown\n`, null],
    [
      'Postfix, the stage phrase broken over two lines',
      postfix('RCPT TO').replace('(in reply to RCPT TO command)', '(in reply to RCPT TO\n    command)'),
      'RCPT',
    ],
    [
      'sendmail transcript, a reply to the greeting before any command',
      `   ----- Transcript of session follows -----\n... while talking to mx.fabrikam.example.:\n<<< 554 IP=192.0.2.1 - A problem occurred. (BL)\n`,
      'CONN',
    ],
    [
      'sendmail transcript, a second connection after a command of the first',
      `... while talking to mx1.fabrikam.example.:\n>>> DATA\n<<< 451 try later\n... while talking to mx2.fabrikam.example.:\n<<< 554 go away\n`,
      'DATA',
    ],
    [
      '"after RCPT command" (GMX)',
      `${RCPT}:\nSMTP error from remote server after RCPT command:\nhost: mx.fabrikam.example\n5.1.1 <${RCPT}>... User Unknown\n`,
      'RCPT',
    ],
  ];
  for (const [name, text, command] of rows) it(`${name} -> ${command}`, () => expect(failedCommand(text, RCPT, null)).toBe(command));

  describe('a command named in capitals in the reply itself', () => {
    const rows: [string, string | null][] = [
      [`550 5.1.1 <${RCPT}>... User Unknown [RCPT_TO]`, 'RCPT'],
      [`SMTP:RCPT host 192.0.2.8: 553 5.3.0 <${RCPT}>... No such user here`, 'RCPT'],
      [`MAIL FROM:<anna@contoso.example> 250 ok RCPT TO:<${RCPT}> 550 User unknown`, 'RCPT'],
      [`>>> DATA <<< 550 5.7.1 Content rejected`, 'DATA'],
      // must not: prose in lower case, a command inside a word or a host name, an envelope listing after the reply
      [`550 the data you sent was refused; mail from you is not welcome`, null],
      [`550 User unknown in DATABASE01.fabrikam.example`, null],
      [`550 User unknown Received: from unknown (HELO mx.contoso.example) ([192.0.2.8])`, null],
      [`550 Requested action not taken: no such user here Message details: MAIL FROM: anna@contoso.example RCPT TO: ${RCPT}`, null],
    ];
    for (const [diagnostic, command] of rows)
      it(`${diagnostic} -> ${command}`, () => expect(failedCommand('', RCPT, diagnostic)).toBe(command));
  });

  it("takes the recipient's own stage when two failed at different stages", () => {
    const other = 'carl@fabrikam.example';
    const text = `${postfix('RCPT TO')}\n<${other}>: host mx.fabrikam.example[192.0.2.1] said: 550 Rejected (in reply to end of DATA command)\n`;
    expect(failedCommand(text, RCPT, null)).toBe('RCPT');
    expect(failedCommand(text, other, null)).toBe('DATA');
  });

  it("does not take the next recipient's stage for one whose own paragraph names none", () => {
    const other = 'carl@fabrikam.example';
    const text = `<${RCPT}>: mail for fabrikam.example loops back to myself\n\n<${other}>: host mx.fabrikam.example[192.0.2.1] said: 550 User unknown (in reply to end of DATA command)\n\n<${other}>: host mx.fabrikam.example[192.0.2.1] said: 550 Rejected (in reply to RCPT TO command)\n`;
    expect(failedCommand(text, RCPT, null)).toBeNull();
  });

  it('reads the paragraph that gives the stage when an earlier line only names the address', () => {
    const text = `Your message to <${RCPT}> could not be delivered.\n\n${postfix('end of DATA')}`;
    expect(failedCommand(text, RCPT, null)).toBe('DATA');
  });
});

describe('the stage and the reason', () => {
  const reasonOf = async (body: string) => {
    const b = await parseBounce(Buffer.from(HEAD + body));
    const f = explainBounce(kb, b).findings[0]!;
    return { command: b.recipients[0]!.command, reason: f.finding.reason, entry: f.finding.match?.entry.id ?? null };
  };
  const rows: [string, string, string][] = [
    ['User unknown in reply to end of DATA', postfix('end of DATA'), 'filtered'],
    ['User unknown after end of data (Exim)', exim('end of data'), 'filtered'],
    ['User unknown after >>> DATA', sendmail('DATA'), 'filtered'],
    ['User unknown at RCPT', postfix('RCPT TO'), 'userunknown'],
    ['User unknown at RCPT (Exim)', exim(`RCPT TO:<${RCPT}>`), 'userunknown'],
    // sisimai's rule: a remote server's "User unknown" reply where neither the stage nor a code says it is the address
    ['User unknown in a remote reply, no stage shown', `<${RCPT}>: host mx.fabrikam.example said: 550 User unknown\n`, 'filtered'],
    ['User unknown with a 5.7.1 code, no stage shown', `<${RCPT}>: host mx.fabrikam.example said: 550 5.7.1 User unknown\n`, 'filtered'],
    [
      'User unknown with 5.1.1, no stage shown: the code says it is the address',
      `<${RCPT}>: host mx.fabrikam.example said: 550 5.1.1 User unknown\n`,
      'userunknown',
    ],
    [
      "Exchange's own address code (5.1.351), no stage shown",
      `<${RCPT}>: host mx.fabrikam.example said: 550 5.1.351 Remote server returned unknown recipient\n`,
      'userunknown',
    ],
    [
      "the reporting system's own words, no SMTP reply and no stage: sisimai's general rule",
      `This is an automatically generated Delivery Status Notification.\n\nUnknown user: ${RCPT}\n`,
      'filtered',
    ],
    [
      'User unknown with a capital RCPT in the reply',
      `<${RCPT}>: host mx.fabrikam.example said: 550 User unknown [RCPT_TO]\n`,
      'userunknown',
    ],
    ['5.1.1 after DATA: the code says the address does not exist', postfix('end of DATA', '550 5.1.1'), 'userunknown'],
    ['User unknown at MAIL FROM: the sender address was refused', postfix('MAIL FROM'), 'rejected'],
    [
      'a bare refusal at EHLO: the connecting client was refused',
      `<${RCPT}>: host mx.fabrikam.example[192.0.2.1] said: 550 Rejected (in reply to EHLO command)\n`,
      'blocked',
    ],
    [
      'a bare refusal of the greeting in a transcript: the connecting client was refused',
      `<${RCPT}>\n    (reason: 554 A problem occurred. (BL))\n\n   ----- Transcript of session follows -----\n... while talking to mx.fabrikam.example.:\n<<< 554 A problem occurred. (BL)\n`,
      'blocked',
    ],
    [
      'a bare refusal at RCPT stays undecided',
      `<${RCPT}>: host mx.fabrikam.example[192.0.2.1] said: 550 Rejected (in reply to RCPT TO command)\n`,
      'onhold',
    ],
  ];
  for (const [name, body, reason] of rows) it(`${name} -> ${reason}`, async () => expect((await reasonOf(body)).reason).toBe(reason));

  it('changes the reason, not the advice: the entry stays the user-unknown one', async () => {
    const data = await reasonOf(postfix('end of DATA'));
    const rcpt = await reasonOf(postfix('RCPT TO'));
    expect(data.command).toBe('DATA');
    expect(data.entry).not.toBeNull();
    expect(data.entry).toBe(rcpt.entry);
  });
});

describe('a Google Groups refusal in any language', () => {
  const notice = (group: string) =>
    `From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: anna@contoso.example\nSubject: Delivery Status Notification (Failure)\nX-Failed-Recipients: ${group}\n\nBonjour anna@contoso.example,\nIl se peut que le groupe que vous avez essayé de contacter n'existe pas ou que vous ne soyez pas autorisé à lui envoyer des messages.\n`;
  const reason = async (group: string) => explainBounce(kb, await parseBounce(Buffer.from(notice(group)))).findings[0]!.finding.reason;

  it('a group address at googlegroups.com: the group refused the sender (rejected)', async () => {
    expect(await reason('team@googlegroups.com')).toBe('rejected');
  });
  it('the same words for another address stay undecided', async () => {
    expect(await reason('team@fabrikam.example')).toBe('onhold');
  });
});

describe("PowerMTA's bounce category gives the reason", () => {
  const dsn = (category: string | null) =>
    [
      'From: MAILER-DAEMON@mta.contoso.example',
      'To: anna@contoso.example',
      'Subject: Delivery report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mta.contoso.example',
      '',
      `Final-Recipient: rfc822;${RCPT}`,
      'Action: failed',
      'Status: 5.2.1',
      `Diagnostic-Code: smtp;550 5.2.1 <${RCPT}>... User Unknown`,
      ...(category ? [`X-PowerMTA-BounceCategory: ${category}`] : []),
      '',
      '--b1--',
      '',
    ].join('\n');
  const reason = async (category: string | null) =>
    explainBounce(kb, await parseBounce(Buffer.from(dsn(category)))).findings[0]!.finding.reason;
  const rows: [string | null, string][] = [
    ['bad-mailbox', 'userunknown'],
    ['quota-issues', 'mailboxfull'],
    ['spam-related', 'spamdetected'],
    // must not: no category, or one that names no cause, leaves the code and the words (5.2.1 "User Unknown": filtered)
    [null, 'filtered'],
    ['other', 'filtered'],
  ];
  for (const [category, expected] of rows)
    it(`${category ?? 'no category'} -> ${expected}`, async () => expect(await reason(category)).toBe(expected));
});
