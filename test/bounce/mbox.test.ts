/**
 * MboxSplitter: the streaming mbox split gives the same messages as
 * splitMbox over the whole buffer, however the bytes are cut into chunks
 * (a CRLF or a "From " line cut between two chunks included).
 */
import { describe, expect, it } from 'vitest';
import { MboxSplitter, splitMbox } from '../../src/bounce/mbox.js';

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

  it('has no message cap (splitMbox, holding every message, keeps MAX_MBOX_MESSAGES)', () => {
    const box = Array.from({ length: 12_000 }, (_, i) => `${SEP}\nSubject: ${i}\n\nx\n`).join('\n');
    expect(splitInChunks(box, 1 << 16)).toHaveLength(12_000);
  });
});
