import { describe, expect, it } from 'vitest';
import { clip, shorten, visibleWidth, wrap } from '../../src/render/wrap.js';

const widest = (text: string) => Math.max(...text.split('\n').map(visibleWidth));
/** Every word of the input is on one line of the output, whole. */
const wordsKept = (input: string, output: string) => {
  const words = new Set(output.split(/\s+/).filter(Boolean));
  return input
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => words.has(w));
};

describe('wrap', () => {
  const prose = "Exchange Online looked the address up in the recipient organization's directory and found nobody with it.";
  it.each([20, 33, 40, 60, 79])('fits %i columns and never cuts a word that fits on a line', (width) => {
    const out = wrap(prose, width, '    ', '  ');
    expect(widest(out)).toBeLessThanOrEqual(width);
    expect(wordsKept(prose, out)).toBe(true);
    expect(
      out
        .split('\n')
        .slice(1)
        .every((l) => l.startsWith('      ')),
    ).toBe(true);
  });

  it.each([
    [
      'an address longer than the line',
      'diagnostic: verylongmailboxname.with.dots@subdomain.of.a.very.long.example.domain.example rejected',
      '@',
      30,
    ],
    [
      'a URL longer than the line',
      'see https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/non-delivery-reports-in-exchange-online',
      '/',
      40,
    ],
  ])('breaks %s inside it, after a separator, and nothing else', (_what, text, sep, width) => {
    const out = wrap(text, width, '  ', '  ');
    expect(widest(out)).toBeLessThanOrEqual(width);
    // Nothing lost or added but line breaks; the words that fit a line are whole.
    expect(out.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(
      wordsKept(
        text
          .split(' ')
          .filter((w) => w.length < width - 4)
          .join(' '),
        out,
      ),
    ).toBe(true);
    // The pieces of the long word end at a separator where one was in reach.
    const lines = out.split('\n');
    expect(lines.slice(1, -1).some((l) => /[/.@?&=_-]$/.test(l))).toBe(true);
    expect(text.includes(sep)).toBe(true);
  });

  it('does not count colour escapes as columns', () => {
    const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
    const out = wrap(`${bold('550 5.1.10')} Recipient not found by SMTP address lookup`, 30);
    expect(widest(out)).toBeLessThanOrEqual(30);
    expect(out.split('\n')[0]).toBe(`${bold('550 5.1.10')} Recipient not found`);
  });

  it('keeps paragraphs', () => {
    expect(wrap('one two\nthree', 80, '  ')).toBe('  one two\n  three');
  });
});

describe('shorten and clip', () => {
  it.each([
    ['fits', 'short text', 20, 'short text'],
    ['cut at a word', 'a rather long title that does not fit', 20, 'a rather long...'],
  ])('shorten: %s', (_what, text, width, want) => {
    const out = shorten(text, width);
    expect(out).toBe(want);
    expect(visibleWidth(out)).toBeLessThanOrEqual(width);
  });

  it('clip says how much it left out', () => {
    const text = 'word '.repeat(600).trim();
    const out = clip(text, 300);
    const kept = out.slice(0, out.indexOf(' ... ('));
    expect(kept.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(new RegExp(`\\.\\.\\. \\(${(text.length - kept.length - 0).toLocaleString('en-US')} more characters; --full\\)$`));
    expect(clip('short', 300)).toBe('short');
  });
});
