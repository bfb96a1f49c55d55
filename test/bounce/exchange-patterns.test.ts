/**
 * The phrase words and case folding behind the line prefilter of the
 * Exchange text parser.
 */
import { describe, expect, it } from 'vitest';
import { EXCHANGE_LANGUAGES } from '../../src/bounce/exchange-phrases.js';
import { prefixesIn } from '../../src/bounce/exchange-lines.js';
import { FILTERS, foldCase, phraseWords } from '../../src/bounce/exchange-patterns.js';

describe('foldCase and phraseWords', () => {
  it('splits a phrase into its words, placeholders left out, longest first', () => {
    expect(phraseWords('Delivery has failed to {rcpt}:')).toEqual(['delivery', 'failed', 'has', 'to']);
    expect(phraseWords('{host} rejected your message')).toEqual(['rejected', 'message', 'your']);
  });

  // The line prefilter of exchange-lines.ts (folded substrings) must never reject a line a phrase
  // pattern (flags iu) matches: every character that the "iu" flags take for a letter of the
  // table must fold to that letter.
  it('folds every character the phrase patterns match case-insensitively', () => {
    const letters = new Set<string>();
    for (const l of EXCHANGE_LANGUAGES) {
      for (const [key, value] of Object.entries(l)) {
        if (key === 'lang' || key === 'parties') continue;
        for (const phrase of value as string[]) for (const w of phraseWords(phrase)) for (const ch of w) letters.add(ch);
      }
    }
    let all = '';
    for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) all += String.fromCodePoint(cp);
    const wrong: string[] = [];
    for (const x of letters) {
      expect(foldCase(x)).toBe(x);
      for (const m of all.matchAll(new RegExp(x, 'giu')))
        if (foldCase(m[0]) !== x) wrong.push(`${x} ~ U+${m[0].codePointAt(0)!.toString(16)}`);
    }
    expect(wrong).toEqual([]);
    expect(letters.size).toBeGreaterThan(20);
  });
});

describe('prefixesIn (the lead-word scan)', () => {
  it('finds, for every lead word of the table, exactly the other lead words it starts with', () => {
    const words = new Set(
      [...FILTERS.values()]
        .flat(2)
        .map((f) => f.words[0] ?? '')
        .filter(Boolean),
    );
    expect(words.size).toBeGreaterThan(100);
    let withPrefixes = 0;
    for (const w of words) {
      const naive = [...words].filter((p) => p !== w && w.startsWith(p));
      expect(new Set(prefixesIn(w, words)), w).toEqual(new Set(naive));
      if (naive.length) withPrefixes++;
    }
    expect(withPrefixes).toBeGreaterThan(0);
  });
});
