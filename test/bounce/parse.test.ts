/** parseBounce on hostile and odd input: what it refuses, and how fast. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeLineEndings, sniffContent } from '../../src/bounce/bytes.js';
import { isMbox, splitMbox } from '../../src/bounce/mbox.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { measureStructure } from '../../src/bounce/structure.js';
import { InputError, NotAMessageError } from '../../src/core/errors.js';
import { ROOT } from '../helpers/cli.js';

const msg = (
  body: string,
  headers = 'From: MAILER-DAEMON@mx.contoso.example\nTo: anna@contoso.example\nSubject: Undelivered Mail Returned to Sender\n',
) => Buffer.from(`${headers}\n${body}`);

function nested(depth: number): Buffer {
  let body = 'Content-Type: text/plain\n\nUndeliverable: 550 5.1.1 user unknown\n';
  for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${body}\n--b${i}--\n`;
  return Buffer.from(`From: MAILER-DAEMON@x.example\nTo: a@contoso.example\nSubject: Undeliverable\nMIME-Version: 1.0\n${body}`);
}

describe('sniffContent', () => {
  const sniff = (input: string | Buffer, expected: string) =>
    it(`${JSON.stringify(input.toString().slice(0, 30))} -> ${expected}`, () => expect(sniffContent(Buffer.from(input))).toBe(expected));
  sniff('', 'empty');
  sniff('\n\n  \n', 'empty');
  sniff(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]), 'binary');
  sniff(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'outlook-msg');
  sniff('From MAILER-DAEMON Mon Jun 10 14:02:11 2024\nReturn-Path: <>\n', 'mbox');
  sniff('Return-Path: <>\nFrom: x@y.example\nSubject: hi\n\nbody', 'message');
  sniff('Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n', 'text');
  sniff('550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found', 'text');
  sniff('Subject: \u001b$B$3$s$K$A$O\u001b(B\nFrom: a@b.example\n\nISO-2022-JP is full of ESC', 'message');
});

describe('line endings and mbox', () => {
  it('turns lone CRs into LF and leaves CRLF alone', () => {
    expect(normalizeLineEndings(Buffer.from('a\rb\r\nc\r')).toString()).toBe('a\nb\r\nc\n');
    // A lone CR after CRLFs, and one at the very end.
    expect(normalizeLineEndings(Buffer.from('a\r\nb\r\nc\rd')).toString()).toBe('a\r\nb\r\nc\nd');
    expect(normalizeLineEndings(Buffer.from('a\r\nb\r')).toString()).toBe('a\r\nb\n');
    // CRLF only, or no CR: the same bytes, not a copy.
    for (const text of ['a\r\nb\r\n', 'a\nb', '']) {
      const input = Buffer.from(text);
      const out = normalizeLineEndings(input);
      expect(out.toString()).toBe(text);
      expect(out.buffer).toBe(input.buffer);
    }
  });

  it('splits an mbox on "From " lines and undoes >From quoting', () => {
    const box =
      'From a@x.example Mon Jun 10 14:02:11 2024\nSubject: one\n\n>From here\n\nFrom b@y.example Tue Jun 11 09:30:40 2024\nSubject: two\n\nFrom the start, not a separator\n';
    expect(isMbox(Buffer.from(box))).toBe(true);
    expect(splitMbox(Buffer.from(box)).map(String)).toEqual([
      'Subject: one\n\nFrom here\n',
      'Subject: two\n\nFrom the start, not a separator\n',
    ]);
    expect(splitMbox(Buffer.from(box.replace(/\n/g, '\r\n'))).length).toBe(2);
  });
});

describe('refusals', () => {
  it('refuses empty, binary and non-message input with typed errors', async () => {
    await expect(parseBounce(Buffer.alloc(0))).rejects.toBeInstanceOf(InputError);
    await expect(parseBounce(Buffer.from([1, 0, 2, 0, 3]))).rejects.toBeInstanceOf(NotAMessageError);
    await expect(parseBounce(Buffer.from('just some words'))).rejects.toBeInstanceOf(NotAMessageError);
  });

  it('bounds MIME nesting', async () => {
    expect(measureStructure(nested(5).toString(), 32).depth).toBe(5);
    await expect(parseBounce(nested(10))).resolves.toMatchObject({ messageKind: 'ndr' });
    await expect(parseBounce(nested(40))).rejects.toThrow(/nested deeper than 32 levels/);
  });

  it('bounds header blocks', async () => {
    const huge = `X-Padding: ${'a'.repeat(70)}\n`.repeat(20000);
    await expect(parseBounce(msg('body', `From: a@x.example\nTo: b@y.example\n${huge}`))).rejects.toThrow(/header block is larger than/);
  });

  it('does not regex its way through a big attachment (time budget)', async () => {
    const b64 = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo5ODc2NTQzMjEwYWJjZGVmZ2hpamtsbW5vcHFyc3R1'.repeat(1)}\n`.repeat(200000);
    const input = Buffer.from(
      `From: MAILER-DAEMON@x.example\nTo: a@contoso.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n<a@fabrikam.example>: 550 5.1.1 unknown\n\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${b64}--b--\n`,
    );
    const start = Date.now();
    const b = await parseBounce(input);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(b.recipients.map((r) => [r.recipient, r.status])).toEqual([['a@fabrikam.example', '5.1.1']]);
  });
});

describe('hostile text stays fast', () => {
  const N = 200_000;
  it.each([
    ['a@ repeated', 'a@'.repeat(N / 2)],
    ['one line of spaces', `${' '.repeat(N)}x`],
    ['only newlines', '\n'.repeat(N)],
    ['lines of one address', '  a@fabrikam.example\n'.repeat(N / 21)],
    ['unclosed parentheses in a Received date', `Received: from a by b; Mon, 1 Jan 2024 ${'('.repeat(N)}`],
    ['quotes and hashes', "'550 #550 ".repeat(N / 10)],
    ['long addresses in DSN fields', `Final-Recipient: rfc822; <${'a'.repeat(300)}@${'b'.repeat(300)}\n`.repeat(200)],
  ])('%s', async (_name, body) => {
    const start = Date.now();
    await parseBounce(msg(body));
    expect(Date.now() - start).toBeLessThan(4000);
  });
});

describe('no code is invented', () => {
  it('reports status null and the words where a bounce has no code and no telling wording', async () => {
    const b = await parseBounce(
      msg(
        'I could not deliver your message to the following recipient:\n\n  a@fabrikam.example\n\nThe remote system was not happy about it.\n',
      ),
    );
    expect(b.recipients).toEqual([
      expect.objectContaining({ recipient: 'a@fabrikam.example', status: null, statusInferred: false, replyCode: null }),
    ]);
    expect(b.recipients[0]!.diagnostic).toMatch(/not happy/);
  });

  it('flags a code that only the wording implies', async () => {
    const b = await parseBounce(
      msg('I could not deliver your message to the following recipient:\n\n  a@fabrikam.example\n    mailbox is full\n'),
    );
    expect(b.recipients[0]).toMatchObject({ status: '5.2.2', statusInferred: true });
  });
});

describe('RFC 6533 internationalized reports', () => {
  it('reads message/global-delivery-status with a UTF-8 address', async () => {
    const b = await parseBounce(
      Buffer.from(
        [
          'From: MAILER-DAEMON@mx.fabrikam.example',
          'To: anna@contoso.example',
          'Subject: Undelivered Mail Returned to Sender',
          'MIME-Version: 1.0',
          'Content-Type: multipart/report; report-type=global-delivery-status; boundary="g"',
          '',
          '--g',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Delivery failed.',
          '--g',
          'Content-Type: message/global-delivery-status',
          'Content-Transfer-Encoding: 8bit',
          '',
          'Reporting-MTA: dns; mx.fabrikam.example',
          '',
          'Original-Recipient: utf-8; jürgen@fabrikam.example',
          'Final-Recipient: utf-8; jürgen@fabrikam.example',
          'Action: failed',
          'Status: 5.1.1',
          'Diagnostic-Code: smtp; 550 5.1.1 unknown user',
          '--g--',
          '',
        ].join('\n'),
      ),
    );
    expect(b.messageKind).toBe('ndr');
    expect(b.recipients.map((r) => [r.recipient, r.status])).toEqual([['jürgen@fabrikam.example', '5.1.1']]);
  });
});

describe("addressForms: a batch's 'full' patterns read every fixture as the fitting ones do", () => {
  const dir = join(ROOT, 'test/fixtures/eml');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.eml')))('%s', async (name) => {
    const bytes = readFileSync(join(dir, name));
    const full = await parseBounce(bytes, { addressForms: 'full' });
    expect(full.recipients.length + (full.messageKind === 'not-a-bounce' ? 1 : 0)).toBeGreaterThan(0);
    expect(full).toEqual(await parseBounce(bytes, { addressForms: 'fit' }));
  });
});
