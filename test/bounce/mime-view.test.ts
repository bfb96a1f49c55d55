/**
 * Our MIME reader (mime-view.ts and its parts): table tests of the decoders
 * and the tree, and a comparison with mailparser over the corpus and our
 * fixtures, which both readers must read alike.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateCorpus } from '../../scripts/corpus-score.js';
import { normalizeLineEndings } from '../../src/bounce/bytes.js';
import { decodeCharset, decodeFlowed, decodeQuotedPrintable, decodeUtf7, decodeWords } from '../../src/bounce/mime-decode.js';
import { parseAddresses, parseHeaderFields, parseStructured } from '../../src/bounce/mime-header.js';
import { parseMimeTree } from '../../src/bounce/mime-tree.js';
import { readMimeView, type MimeView } from '../../src/bounce/mime-view.js';
import { parseHeaderBlock, parseMime } from '../../src/bounce/mime.js';
import { LIMITS } from '../../src/bounce/limits.js';
import fc from 'fast-check';
import { fuzzParams } from '../fuzz/settings.js';
import { ROOT } from '../helpers/cli.js';

const view = (s: string) => readMimeView(Buffer.from(s, 'utf8'));

describe('decodeWords (RFC 2047)', () => {
  const ok = (input: string, expected: string) => it(JSON.stringify(input), () => expect(decodeWords(input)).toBe(expected));
  ok('plain text', 'plain text');
  ok('=?utf-8?Q?Unzustellbar=3A_Bericht?=', 'Unzustellbar: Bericht');
  ok('=?UTF-8?B?w4ZibGU=?= and more', 'Æble and more');
  ok('=?iso-8859-1?q?p=E5_dansk?=', 'på dansk');
  // White space between two encoded words goes; between a word and text it stays.
  ok('=?utf-8?Q?a?= =?utf-8?Q?b?= c', 'ab c');
  // A character split across two words of one charset survives.
  ok('=?utf-8?B?4pyT?= =?utf-8?B?4py?= =?utf-8?B?kw==?=', '✓✓');
  ok('=?iso-2022-jp?B?GyRCJWEhPCVrGyhC?=', 'メール');
  // An unknown charset reads as UTF-8 instead of failing.
  ok('=?x-no-such?Q?caf=C3=A9?=', 'café');
  ok('=?utf-8?Q?broken', '=?utf-8?Q?broken');
});

describe('quoted-printable and format=flowed', () => {
  it('decodes =XX, drops soft breaks, keeps a malformed "="', () => {
    expect(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc=\nd =ZZ e=')).toString()).toBe('a=bcd =ZZ e');
    expect(decodeQuotedPrintable(Buffer.from('caf=C3=A9')).toString('utf8')).toBe('café');
  });
  it('joins soft-broken lines, with and without DelSp', () => {
    expect(decodeFlowed('Delivery to the \nfollowing recipient \nfailed.\nNext', false)).toBe(
      'Delivery to the following recipient failed.\nNext',
    );
    expect(decodeFlowed('abc \ndef', true)).toBe('abcdef');
    expect(decodeFlowed('> quoted \n> more\nplain', false)).toBe('> quoted more\nplain');
    expect(decodeFlowed(' From stuffed', false)).toBe('From stuffed');
    expect(decodeFlowed('-- \nsignature', false)).toBe('-- \nsignature');
  });
});

describe('UTF-7 (RFC 2152), which TextDecoder lacks', () => {
  const ok = (input: string, expected: string) =>
    it(JSON.stringify(input), () => expect(decodeUtf7(Buffer.from(input, 'latin1'))).toBe(expected));
  ok('plain text, no shifts', 'plain text, no shifts');
  ok('Hi Mom -+Jjo--!', 'Hi Mom -\u263A-!');
  ok('+ZeVnLIqe-', '\u65E5\u672C\u8A9E');
  // "+-" is a plus; a "-" after base64 is absorbed, any other byte ends the run and stays.
  ok('1 +- 1 = 2', '1 + 1 = 2');
  ok('A+ImIDkQ.', 'A\u2262\u0391.');
  ok('+AGEAYgBj end', 'abc end');
  // A surrogate pair in one run, and bits left over at the end of a run are dropped.
  ok('+2D3eAA-', '\u{1F600}');
  ok('+AGEA-x', 'ax');
  // An empty shift vanishes; the high bit of a direct byte is cleared, as iconv-lite does.
  ok('a+ b', 'a b');
  ok('caf\xe9', 'cafi');
  it('is chosen by its labels, as iconv-lite compares them', () => {
    for (const label of ['utf-7', 'UTF7', 'unicode-1-1-utf-7', '"UNICODE-1-1-UTF-7"'])
      expect(decodeCharset(Buffer.from('+AGE-'), label)).toBe('a');
    expect(decodeCharset(Buffer.from('+AGE-'), 'utf-8')).toBe('+AGE-');
  });
});

describe('header fields', () => {
  it('unfolds and lower-cases names', () => {
    expect(parseHeaderFields('Subject: a\r\n  b\nX-Y:c\nnot a header\n\tcontinued')).toEqual([
      { name: 'subject', value: 'a b' },
      { name: 'x-y', value: 'c continued' },
    ]);
  });
  const ct = (raw: string, value: string, params: Record<string, string>) =>
    it(raw, () => expect({ ...parseStructured(raw) }).toEqual({ value, params: expect.objectContaining(params) }));
  ct('multipart/report; report-type=delivery-status; boundary="a;b=c"', 'multipart/report', {
    'report-type': 'delivery-status',
    boundary: 'a;b=c',
  });
  ct('Multipart/Mixed (comment); BOUNDARY=xyz (another)', 'multipart/mixed', { boundary: 'xyz' });
  ct("text/plain; charset*=utf-8''%C3%A6ble", 'text/plain', { charset: 'æble' });
  ct("application/x; name*0*=utf-8''a%C3; name*1*=%A6; name*2=b", 'application/x', { name: 'aæb' });
  ct('text/plain; name="=?utf-8?Q?r=C3=A9sum=C3=A9?="', 'text/plain', { name: 'résumé' });

  const addr = (raw: string, expected: string[]) => it(raw, () => expect(parseAddresses(raw)).toEqual(expected));
  addr('Mail Delivery System <MAILER-DAEMON@mx.example.com>', ['MAILER-DAEMON@mx.example.com']);
  addr('"Doe, John" <john@example.com>, jane@example.com (Jane)', ['john@example.com', 'jane@example.com']);
  addr('team: a@example.com, b@example.com;, c@example.com', ['a@example.com', 'b@example.com', 'c@example.com']);
  addr('undisclosed-recipients:;', []);
  addr('MAILER-DAEMON', []);
  addr('<postmaster>', ['postmaster']);
  addr('=?utf-8?Q?J=C3=B8rgen?= <jorgen@example.dk>', ['jorgen@example.dk']);
});

describe('the MIME tree', () => {
  const nested = [
    'Content-Type: multipart/report; report-type=delivery-status; boundary="outer"',
    '',
    'preamble',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'plain text',
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>html</p>',
    // The inner multipart is never closed: the outer delimiter ends it.
    '--outer  ',
    'Content-Type: message/delivery-status',
    '',
    'Final-Recipient: rfc822; a@example.com',
    '--outer',
    'Content-Type: text/rfc822-headers',
    '--outer--',
    'epilogue',
    '--outer',
    'not a part',
  ].join('\r\n');

  it('nests parts, closes an unclosed inner multipart at the outer delimiter, ignores preamble and epilogue', () => {
    const root = parseMimeTree(Buffer.from(nested));
    expect(root.type).toBe('multipart/report');
    expect(root.children.map((c) => c.type)).toEqual(['multipart/alternative', 'message/delivery-status', 'text/rfc822-headers']);
    expect(root.children[0]!.children.map((c) => [c.type, c.body.toString(), c.inAlternative])).toEqual([
      ['text/plain', 'plain text', true],
      ['text/html', '<p>html</p>', true],
    ]);
    expect(root.children[1]!.body.toString()).toBe('Final-Recipient: rfc822; a@example.com');
    // A part that is only a header block has an empty body.
    expect(root.children[2]!.body.length).toBe(0);
  });

  it('builds the view: text from text/plain (HTML in an alternative is not needed), report parts decoded', () => {
    const v = view(nested)!;
    expect(v.text).toBe('plain text');
    expect(v.reportType).toBe('delivery-status');
    expect(v.parts.map((p) => p.contentType)).toEqual(['message/delivery-status', 'text/rfc822-headers']);
  });

  it('reads a part without Content-Type as text/plain, and as message/rfc822 in a digest', () => {
    const v = view(
      'Content-Type: multipart/mixed; boundary=b\n\n--b\n\nno type here\n--b\nContent-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nbody\n--d--\n--b--\n',
    )!;
    expect(v.text).toBe('no type here');
    expect(v.parts.map((p) => [p.contentType, p.content.toString()])).toEqual([['message/rfc822', 'Subject: inner\n\nbody']]);
  });

  it('decodes transfer encodings and charsets of text parts, and format=flowed', () => {
    const b64 = Buffer.from('Zustellung fehlgeschlagen: Empfänger unbekannt', 'latin1').toString('base64');
    expect(view(`Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n${b64}\n`)!.text).toBe(
      'Zustellung fehlgeschlagen: Empfänger unbekannt',
    );
    expect(
      view('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nMottaker ukjent: =C3=B8=\nnsket\n')!
        .text,
    ).toBe('Mottaker ukjent: ønsket\n');
    expect(view('Content-Type: text/plain; format=flowed; delsp=yes\n\nThe mail sys \ntem said no.\n')!.text).toBe(
      'The mail system said no.',
    );
    expect(view('Content-Type: text/plain; charset=ISO-2022-JP\n\n\u001b$B%a!<%k\u001b(B\n')!.text).toBe('メール\n');
  });

  it('leaves text attachments out of the text', () => {
    expect(
      view(
        'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nshown\n--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=log.txt\n\nnot shown\n--b--\n',
      )!.text,
    ).toBe('shown');
  });

  it('reads the headers: first Subject, decoded addresses, Message-ID in brackets, an invalid Date as none', () => {
    const v = view(
      'From: =?utf-8?Q?Postmaster?= <postmaster@example.org>\nTo: a@example.com, "B" <b@example.com>\nCc: c@example.com\nSubject: =?utf-8?Q?Unzustellbar?=\nSubject: second\nMessage-ID: abc@example.org\nDate: not a date\n\nbody\n',
    )!;
    expect(v).toMatchObject({
      from: 'postmaster@example.org',
      to: ['a@example.com', 'b@example.com'],
      cc: ['c@example.com'],
      subject: 'Unzustellbar',
      messageId: '<abc@example.org>',
      date: null,
    });
    expect(view('Date: Mon, 2 Nov 2026 10:00:00 +0100\n\nx')!.date).toBe('2026-11-02T09:00:00.000Z');
  });

  it('leaves to mailparser what it does not do: HTML that must become text, charsets neither it nor TextDecoder knows', () => {
    expect(view('Content-Type: text/html\n\n<p>Delivery failed</p>\n')).toBeNull();
    expect(
      view(
        'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b\nContent-Type: text/html\n\n<p>y</p>\n--b--\n',
      ),
    ).toBeNull();
    expect(view('Content-Type: text/plain; charset=x-no-such-charset\n\nabc\n')).toBeNull();
    // Empty HTML needs nothing.
    expect(view('Content-Type: text/html\n\n\n')).not.toBeNull();
  });

  it('falls back to mailparser in parseMime and still returns a view', async () => {
    const v = await parseMime(Buffer.from('Subject: x\nContent-Type: text/html\n\n<p>Delivery <b>failed</b></p>\n'));
    expect(v.text).toMatch(/Delivery failed/i);
  });
});

function messages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...messages(p));
    else if (name.endsWith('.eml')) out.push(p);
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Where the two readers may differ, by rule: mailparser dates an invalid Date "now", keeps a trailing
 * line break in a subject, and keeps the line break before a delimiter in an empty part.
 */
function comparable(v: MimeView, bytes: Buffer, dateHeader: string | undefined) {
  const undecodable = v.text.includes('\uFFFD');
  return {
    subject: v.subject?.trim() ?? null,
    from: v.from,
    to: v.to,
    cc: v.cc,
    date: dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? v.date : 'invalid',
    messageId: v.messageId,
    contentType: v.contentType,
    reportType: v.reportType,
    // Bytes that are not in the declared charset come out differently garbled; both are garbage.
    text: undecodable ? 'undecodable' : norm(v.text),
    parts: v.parts.map((p) => `${p.contentType}:${p.content.toString('latin1').trimEnd()}`),
    size: bytes.length,
  };
}

describe('our reader and mailparser read alike', () => {
  const corpus = locateCorpus(ROOT);
  const files = [...messages(join(ROOT, 'test', 'fixtures', 'eml')), ...messages(join(corpus, 'maildir'))];

  it(`on ${files.length} messages (the corpus and our fixtures), with mailparser used only where our reader hands over`, async () => {
    let ours = 0;
    const handedOver: string[] = [];
    for (const file of files) {
      let bytes = normalizeLineEndings(readFileSync(file));
      if (bytes.subarray(0, 5).toString() === 'From ') bytes = bytes.subarray(bytes.indexOf('\n') + 1);
      const reference = await parseMime(bytes, { engine: 'mailparser' });
      if (!readMimeView(bytes)) {
        handedOver.push(file);
        continue;
      }
      ours++;
      const mine = await parseMime(bytes);
      const dateHeader = mine.headers.get('date')?.[0];
      const a = comparable(mine, bytes, dateHeader);
      const b = comparable(reference, bytes, dateHeader);
      if (a.text === 'undecodable' || b.text === 'undecodable') a.text = b.text = 'undecodable';
      expect(a, file).toEqual(b);
    }
    // Every bounce here is ours to read (UTF-7 included); HTML-only ones would go to mailparser (tested above).
    expect(handedOver).toEqual([]);
    expect(ours).toBe(files.length);
  }, 120_000);
});

describe("parseHeaderBlock: a returned message's headers without the MIME tree", () => {
  /** What it replaced: the whole reader over the header block and an empty line. */
  async function reference(bytes: Buffer): Promise<MimeView> {
    let end = bytes.length;
    for (const sep of ['\n\n', '\r\n\r\n']) {
      const i = bytes.indexOf(sep);
      if (i >= 0 && i < end) end = i;
    }
    end = Math.min(end, LIMITS.maxReturnedHeaderBytes);
    return parseMime(Buffer.concat([bytes.subarray(0, end), Buffer.from('\n\n')]));
  }
  const same = async (bytes: Buffer) => {
    const [mine, theirs] = [await parseHeaderBlock(bytes), await reference(bytes)];
    // Text and parts (the body after an empty line hidden by mixed line ends) are not a header block's.
    expect(mine).toMatchObject({ text: '', parts: [] });
    const { text: _t, parts: _p, ...rest } = theirs;
    expect({ ...mine, text: undefined, parts: undefined, headers: [...mine.headers] }).toEqual({
      ...rest,
      text: undefined,
      parts: undefined,
      headers: [...theirs.headers],
    });
  };

  it('reads every returned message and header part of the corpus and our fixtures as the whole reader does', async () => {
    const corpus = locateCorpus(ROOT);
    let blocks = 0;
    for (const file of [...messages(join(ROOT, 'test', 'fixtures', 'eml')), ...messages(join(corpus, 'maildir'))]) {
      let bytes = normalizeLineEndings(readFileSync(file));
      if (bytes.subarray(0, 5).toString() === 'From ') bytes = bytes.subarray(bytes.indexOf('\n') + 1);
      for (const part of (await parseMime(bytes)).parts) {
        if (!['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers'].includes(part.contentType)) continue;
        blocks++;
        await same(part.content);
      }
    }
    expect(blocks).toBeGreaterThan(300);
  }, 60_000);

  it('reads generated header blocks (mixed line ends, folding, empty and CR-only lines) as the whole reader does', async () => {
    const line = fc.constantFrom(
      'Subject: =?utf-8?Q?caf=C3=A9?=',
      'From: "A, B" <a@b.example>',
      'To: x@y.example, z@w.example',
      'Date: Mon, 2 Nov 2026 10:00:00 +0100',
      'Message-ID: abc@d',
      'Content-Type: message/rfc822',
      'Content-Type: multipart/report; report-type=delivery-status; boundary=b',
      '  folded on',
      '\tfolded too',
      'no colon here',
      '',
      '\r',
      'Received: from x by y',
      'body text',
    );
    const block = fc
      .array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 12 })
      .map((ls) => Buffer.from(ls.map(([l, e]) => l + e).join(''), 'utf8'));
    await fc.assert(fc.asyncProperty(block, same), fuzzParams(1000));
  });
});
