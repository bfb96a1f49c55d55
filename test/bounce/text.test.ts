import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseStatus, inferStatus, parseTextBounce, splitReturnedMessage } from '../../src/bounce/text.js';
import {
  ADDRESS,
  ADDRESS_G,
  AddressPattern,
  BARE_ADDRESS,
  caseless,
  cleanAddress,
  findCodes,
  isRoutableAddress,
  nonAsciiAddressText,
} from '../../src/bounce/text-util.js';
import { fuzzParams } from '../fuzz/settings.js';

describe('findCodes', () => {
  const codes = (input: string, expected: [string | null, string | null][]) =>
    it(JSON.stringify(input), () => expect(findCodes(input).map((h) => [h.status, h.replyCode])).toEqual(expected));
  codes('550 5.1.1 <a@x.example>... User unknown', [['5.1.1', '550']]);
  codes("550-'5.7.1 <a@x.example>... Access denied'", [['5.7.1', '550']]);
  codes('550 #5.1.0 Address rejected.', [['5.1.0', '550']]);
  codes('Sorry, no mailbox here by that name. (#5.1.1)', [['5.1.1', null]]);
  codes('host 192.0.2.1 said 250 ok; Exim 4.97.1', []);
  // Version numbers are not codes: glued to a name or a suffix, or in a field that holds versions.
  codes('\tby mail.fabrikam.example (mxl_mta-5.5.0-3) with ESMTP id 8F2A1C0042', []);
  codes('    X-Mailman-Version: 2.1.12rc2', []);
  codes('  Subject: Re: wxPython 2.3.0', []);
  codes('X-Mailer: Internet Mail Service (5.5.2653.19)', []);
  codes('built with v4.2.1 and libfoo_5.1.0', []);
  codes('Lotus Domino Release 5.0.8 (IMail 5.0.5) version: 4.4.1', []);
  // ... while a code as a reply, a field value or after "said" stays.
  codes('Status: 5.1.1', [['5.1.1', null]]);
  codes('Diagnostic-Code: smtp; 5.2.2 mailbox full', [['5.2.2', null]]);
  codes('host mx.fabrikam.example said: 5.7.1 denied', [['5.7.1', null]]);
  codes('<EXCH02.contoso.example #5.1.1>', [['5.1.1', null]]);
  codes('宛先不明5.1.1です', [['5.1.1', null]]);
  codes('Delivery failed (Error 5.1.1)', [['5.1.1', null]]);
  codes('554 4.4.7 Message expired <421 4.4.2 Connection timed out>', [
    ['4.4.7', '554'],
    ['4.4.2', '421'],
  ]);
});

describe('chooseStatus', () => {
  const pick = (field: string | null, diagnostic: string, expected: string | null, said = false) =>
    it(`${field ?? '(no Status)'} + ${JSON.stringify(diagnostic)}`, () => {
      const hits = findCodes(diagnostic);
      expect(chooseStatus(field, hits, said ? (hits[0] ?? null) : null)?.status ?? null).toBe(expected);
    });
  pick('5.1.1', '550 5.1.1 User unknown', '5.1.1');
  pick('5.0.0', '550 5.7.1 Relaying denied', '5.7.1');
  pick('5.0.0', '550 5.0.0 <a@x.example>... User unknown', '5.0.0');
  pick('4.4.7', '554 4.4.7 Message expired <421 4.4.2 Connection timed out>', '4.4.2');
  pick('4.4.7', '452 4.4.5 Insufficient disk space; try again later', '4.4.5');
  pick('5.1.1', '550 5.7.1 IP address blacklisted by recipient', '5.7.1', true);
  pick('5.1.1', '550 5.7.1 IP address blacklisted by recipient', '5.1.1', false);
  pick(null, 'said: 554 delivery error, 550 5.1.1 unknown', '5.1.1');
  pick(null, 'no codes here', null);
  // A 2.x.x code is never a failure's; a code in running words only where none stands as one.
  pick(null, ' Out: 250 2.1.5 Ok\n In:  DATA\n Out: 451 4.3.0 Error: queue file write error', '4.3.0');
  pick(null, 'Subject: wxPython 2.3.0 released', null);
  pick(null, '250 2.0.0 Ok: queued as 3C1D22A0F1', null);
  pick(null, 'the filter, now at 5.1.0, is strict\n(#5.7.1) rejected by policy', '5.7.1');
  pick(null, 'rejected by the 5.7.1 filter', '5.7.1');
  pick(null, 'rejected by release 5.7.1 of the filter', null);
  pick('5.0.0', 'smtp; 550 5.0.0 gateway 5.1.1 said unknown', '5.0.0');

  it('stays linear on one long line of codes (regression: a search back to the line start from every code was quadratic, 256 KB took 10 s)', () => {
    const line = '5.1.1 '.repeat(44_000);
    const t0 = performance.now();
    expect(findCodes(line)).toHaveLength(44_000);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('says which codes stand where codes stand', () => {
    const stands = (t: string) => findCodes(t).map((h) => h.stands);
    expect(stands('550 5.1.1 unknown')).toEqual([true]);
    expect(stands('5.1.1 unknown')).toEqual([true]);
    expect(stands('remote host said: 5.1.1')).toEqual([true]);
    expect(stands('Sorry (#5.1.1)')).toEqual([true]);
    expect(stands('the filter, now at 5.1.0, is strict')).toEqual([false]);
  });
});

describe('inferStatus says so only where the wording truly implies a code', () => {
  const infer = (text: string, reply: string | null, delay: boolean, expected: string | null) =>
    it(JSON.stringify(text), () => expect(inferStatus(text, reply, delay)).toBe(expected));
  infer('User unknown in local recipient table', '550', false, '5.1.1');
  infer('Mailbox full', null, true, '4.2.2');
  infer('Host or domain name not found. Name service error', null, false, '5.1.2');
  infer('Connection timed out', '421', false, '4.4.1');
  infer('Thank you for your message', null, false, null);
});

describe('addresses in running text', () => {
  it('cleans punctuation and paths around an address', () => {
    expect(cleanAddress('<a@x.example>:')).toBe('a@x.example');
    expect(cleanAddress('/home/neko/.forward/a@x.example')).toBe('a@x.example');
    expect(isRoutableAddress('a@x.example')).toBe(true);
    expect(isRoutableAddress('@mx.example.org')).toBe(false);
    expect(isRoutableAddress('kijitora@server')).toBe(false);
  });
});

describe('parseTextBounce', () => {
  const ctx = { from: ['mailer-daemon@relay.contoso.example'], to: ['anna@contoso.example'], delay: false };

  it('reads Exim: indented addresses, each with its SMTP error', () => {
    const text = [
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  a@fabrikam.example',
      '    SMTP error from remote mail server after RCPT TO:<a@fabrikam.example>:',
      '    host mx.fabrikam.example [198.51.100.25]: 550 5.1.1 <a@fabrikam.example>... User unknown',
      '  b@fabrikam.example',
      '    SMTP error from remote mail server after RCPT TO:<b@fabrikam.example>:',
      '    host mx.fabrikam.example [198.51.100.25]: 552 5.2.2 Mailbox full',
    ].join('\n');
    expect(parseTextBounce(text, ctx).map((r) => [r.recipient, r.status, r.replyCode, r.remoteMta])).toEqual([
      ['a@fabrikam.example', '5.1.1', '550', 'mx.fabrikam.example'],
      ['b@fabrikam.example', '5.2.2', '552', 'mx.fabrikam.example'],
    ]);
  });

  it('reads a Sendmail transcript where the recipients and the replies stand apart', () => {
    const text = [
      '   ----- The following addresses had permanent fatal errors -----',
      '<a@fabrikam.example>',
      '<b@fabrikam.example>',
      '',
      '   ----- Transcript of session follows -----',
      '... while talking to mx.fabrikam.example.:',
      '>>> RCPT To:<a@fabrikam.example>',
      '<<< 550 5.1.1 <a@fabrikam.example>... User unknown',
      '>>> RCPT To:<b@fabrikam.example>',
      '<<< 552 5.2.2 <b@fabrikam.example>... Mailbox full',
    ].join('\n');
    expect(parseTextBounce(text, ctx).map((r) => [r.recipient, r.status])).toEqual([
      ['a@fabrikam.example', '5.1.1'],
      ['b@fabrikam.example', '5.2.2'],
    ]);
  });

  it('never takes the sender for a failed recipient, and infers a code only with a flag', () => {
    const text =
      'A message sent by\n  <anna@contoso.example>\ncould not be delivered to one or more of its recipients:\n\n  c@northwind.example\n    mailbox is full\n';
    const [r] = parseTextBounce(text, ctx);
    expect(r).toMatchObject({ recipient: 'c@northwind.example', status: '5.2.2', statusInferred: true, replyCode: null });
  });

  it('cuts the quoted returned message off the bounce text', () => {
    const split = splitReturnedMessage(
      'Delivery failed.\n\n------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <a@x.example>\nTo: z@y.example\n',
    );
    expect(split.section).toBe('Delivery failed.\n\n');
    expect(split.returned).toMatch(/^Return-path:/);
    expect(splitReturnedMessage('Oops.\nReceived: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\nFrom: x@y.example\n').section).toBe(
      'Oops.\n',
    );
  });
});

describe('caseless (keywords in either case without the i flag)', () => {
  it('spells letters as [xX] and leaves escapes and classes alone', () => {
    expect(caseless(String.raw`RCPT\s+to:[^\n@]{0,20}`)).toBe(String.raw`[rR][cC][pP][tT]\s+[tT][oO]:[^\n@]{0,20}`);
    const re = new RegExp(caseless('final-recipient: ') + '(x)', 'u');
    expect(re.exec('FINAL-Recipient: x')?.[1]).toBe('x');
    expect(re.test('final-recipient: y')).toBe(false);
  });
  it('finds recipients after keywords in any case', () => {
    expect(
      parseTextBounce('RECIPIENT: <Someone@Example.COM>: 550 5.1.1 unknown user', { from: [], to: [], delay: false }).map(
        (r) => r.recipient,
      ),
    ).toEqual(['Someone@Example.COM']);
  });
});

describe('AddressPattern: an ASCII form for ASCII text, the full one for the rest', () => {
  const RCPT = new AddressPattern((a) => caseless(String.raw`RCPT\s+TO\s*:?\s*<?`) + `(${a})`, 'gu');
  const patterns = { ADDRESS, ADDRESS_G, BARE_ADDRESS, RCPT };
  // ASCII text made of the pieces addresses and the text around them are made of.
  const piece = fc.constantFrom(
    'user',
    'x.y',
    '@',
    'example',
    '.com',
    '.',
    '-',
    '_',
    '+',
    ' ',
    '<',
    '>',
    ':',
    'RCPT TO:',
    '550',
    '5.1.1',
    '[192.0.2.1]',
    '\n',
    '"',
    "'",
    '(',
    ')',
    'a1',
    '--',
    'ZZ',
  );
  const asciiText = fc.array(piece, { maxLength: 30 }).map((ps) => ps.join(''));

  it('the two forms match ASCII text alike', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        for (const p of Object.values(patterns)) {
          const [ascii, full] = p.forms();
          expect([...text.matchAll(new RegExp(ascii.source, `${ascii.flags.replace('g', '')}g`))].map((m) => [m.index, ...m])).toEqual(
            [...text.matchAll(new RegExp(full.source, `${full.flags.replace('g', '')}g`))].map((m) => [m.index, ...m]),
          );
        }
      }),
      fuzzParams(500),
    );
  });

  // Text with characters outside ASCII, some of them next to addresses and some not.
  const anyText = fc
    .array(fc.oneof(piece, fc.constantFrom('様', 'jörg', 'ü', '例子', '連絡 ', ' Größe', 'ſ', '\u212a', '\u00a0', '\u3000', '😀')), {
      maxLength: 30,
    })
    .map((ps) => ps.join(''));

  it('the two forms match alike wherever no character outside ASCII touches an address (nonAsciiAddressText)', () => {
    let sharp = 0;
    fc.assert(
      fc.property(anyText, (text) => {
        if (nonAsciiAddressText(text)) return;
        if (/[^\x00-\x7f]/.test(text)) sharp++;
        for (const p of Object.values(patterns)) {
          const [ascii, full] = p.forms();
          expect([...text.matchAll(new RegExp(ascii.source, `${ascii.flags.replace('g', '')}g`))].map((m) => [m.index, ...m])).toEqual(
            [...text.matchAll(new RegExp(full.source, `${full.flags.replace('g', '')}g`))].map((m) => [m.index, ...m]),
          );
        }
      }),
      fuzzParams(1000),
    );
    // The property was tried on text that has such characters and still gets the ASCII form.
    expect(sharp).toBeGreaterThan(50);
  });

  it.each([
    ['kijitora@example.jp 様', false],
    ['連絡しようとしたグループ <libsisimai@googlegroups.com> が存在しない', false],
    ['user@example.com', false],
    ['jörg@bücher.example', true],
    ['<用户@例子.广告>', true],
    ['mail to jörg.x+y@example.com failed', true],
    ['user@example.c\u00f6m', true],
    ['Größe user@example.com', false],
    ['user@[192.0.2.1]ü', true],
  ])('nonAsciiAddressText(%j) is %s', (text, expected) => {
    expect(nonAsciiAddressText(text)).toBe(expected);
  });

  it('ASCII text gets the ASCII form until other text has needed the full one', () => {
    const p = new AddressPattern((a) => `<(${a})>`, 'u');
    expect(p.for('<user@contoso.example>', 'fit').source).not.toContain(String.raw`\p{L}`);
    expect(p.for('<jörg@bücher.example>', 'fit').source).toContain(String.raw`\p{L}`);
    expect(p.for('<user@contoso.example>', 'fit').source).toContain(String.raw`\p{L}`);
  });

  it("asked for 'full' (a batch), ASCII text gets the full form too; other patterns keep fitting", () => {
    const p = new AddressPattern((a) => `<(${a})>`, 'u');
    const q = new AddressPattern((a) => `<(${a})>`, 'u');
    expect(p.for('<user@contoso.example>', 'full').source).toContain(String.raw`\p{L}`);
    expect(q.for('<user@contoso.example>', 'fit').source).not.toContain(String.raw`\p{L}`);
  });

  it('text with other characters gets the full form: addresses in any script', () => {
    const text = 'RCPT TO:<jörg@bücher.example> and <用户@例子.广告>';
    expect(ADDRESS_G.for(text, 'fit').source).toContain(String.raw`\p{L}`);
    expect([...text.matchAll(ADDRESS_G.for(text, 'fit'))].map((m) => m[0])).toEqual(['jörg@bücher.example', '用户@例子.广告']);
    expect([...text.matchAll(RCPT.for(text, 'fit'))].map((m) => m[1])).toEqual(['jörg@bücher.example']);
    expect(BARE_ADDRESS.for('jörg@bücher.example', 'fit').test('jörg@bücher.example')).toBe(true);
  });
});
