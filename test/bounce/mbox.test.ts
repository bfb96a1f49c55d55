/**
 * MboxSplitter: the streaming mbox split gives the same messages as
 * splitMbox over the whole buffer, however the bytes are cut into chunks
 * (a CRLF or a "From " line cut between two chunks included), and the same
 * as the line-by-line splitter it replaced, on generated mailboxes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MboxSplitter, splitMbox } from '../../src/bounce/mbox.js';
import { fuzzParams } from '../fuzz/settings.js';
import { LineMboxSplitter } from '../helpers/line-mbox-splitter.js';

function splitInChunks(text: string, size: number): string[] {
  const bytes = Buffer.from(text, 'latin1');
  const splitter = new MboxSplitter();
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...splitter.push(bytes.subarray(i, i + size)));
  out.push(...splitter.end());
  return out.map((b) => b.toString('latin1'));
}

const SEP = 'From MAILER-DAEMON Sun Nov 22 20:00:00 2026';
const ok = (name: string, box: string) =>
  it(name, () => {
    const whole = splitMbox(Buffer.from(box, 'latin1')).map((b) => b.toString('latin1'));
    expect(whole.length).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) expect(splitInChunks(box, size)).toEqual(whole);
  });

describe('MboxSplitter', () => {
  ok('LF, blank line before each separator', `${SEP}\nSubject: one\n\nbody\n\n${SEP}\nSubject: two\n\nbody\n`);
  ok('CRLF', `${SEP}\r\nSubject: one\r\n\r\nbody\r\n\r\n${SEP}\r\nSubject: two\r\n\r\nbody\r\n`);
  ok('lone CR (old Mac)', `${SEP}\rSubject: one\r\rbody\r\r${SEP}\rSubject: two\r\rbody\r`);
  ok('mboxrd quoting undone', `${SEP}\nSubject: one\n\n>From here\n>>From there\n\n${SEP}\nSubject: two\n\nx\n`);
  ok('separator without a blank line before it, followed by a header', `${SEP}\nSubject: one\n\nbody\n${SEP}\nSubject: two\n\nbody`);
  ok('"From " in a body is not a separator', `${SEP}\nSubject: one\n\nFrom the start, not a separator\n`);

  ok('a separator that waits for the next line at the very end', `${SEP}\nSubject: one\n\nbody\n${SEP}`);
  ok('preamble before the first separator is dropped', `junk\n\n${SEP}\nSubject: one\n\nbody\n`);
  ok('trailing empty lines and CR-only lines go', `${SEP}\nSubject: one\n\nbody\n\n\r\n\n`);

  it('has no message cap (splitMbox, holding every message, keeps MAX_MBOX_MESSAGES)', () => {
    const box = Array.from({ length: 12_000 }, (_, i) => `${SEP}\nSubject: ${i}\n\nx\n`).join('\n');
    expect(splitInChunks(box, 1 << 16)).toHaveLength(12_000);
  });
});

describe('MboxSplitter and the line-by-line splitter it replaced', () => {
  // Lines that matter to the split, joined with any line end, cut into chunks at random.
  const line = fc.constantFrom(
    SEP,
    'From MAILER-DAEMON Mon Nov  2 10:00:00 2026',
    'From the start, not a separator',
    'From x',
    'From ',
    'Subject: one',
    'X-Header: two',
    '',
    '\r',
    'body text',
    '>From quoted',
    '>>From twice',
    '> not quoted',
    'xFrom inside',
  );
  const mbox = fc
    .tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 40 }), fc.boolean())
    .map(([ls, endsWithBreak]) => {
      const text = ls.map(([l, eol]) => l + eol).join('');
      return endsWithBreak ? text : text.replace(/(?:\r\n|\r|\n)$/, '');
    });
  const split = (splitter: { push(c: Uint8Array): Buffer[]; end(): Buffer[] }, bytes: Buffer, cuts: number[]) => {
    const out: string[] = [];
    let at = 0;
    for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
      out.push(...splitter.push(bytes.subarray(at, Math.max(at, cut))).map((b) => b.toString('latin1')));
      at = Math.max(at, cut);
    }
    return [...out, ...splitter.end().map((b) => b.toString('latin1'))];
  };

  it('split every generated mailbox alike, however it is cut and whatever the message cap', () => {
    fc.assert(
      fc.property(mbox, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(Infinity, 1, 2, 3), (text, cuts, cap) => {
        const bytes = Buffer.from(text, 'latin1');
        expect(split(new MboxSplitter(cap), bytes, cuts)).toEqual(split(new LineMboxSplitter(cap), bytes, cuts));
      }),
      fuzzParams(3000),
    );
  });
});
