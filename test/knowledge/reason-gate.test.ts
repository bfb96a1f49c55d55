/**
 * The literal gate that a batch uses to find the phrase table's literals in
 * one pass must find exactly the literals that one includes() each finds, and
 * the words must name the same reason before and after the gate is built.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { literalGate, literalsIn, phraseLiterals, reasonFromWords } from '../../src/knowledge/reason-words.js';
import { fuzzParams } from '../fuzz/settings.js';

const LITERALS = [...new Set(phraseLiterals().flatMap(([, l]) => l ?? []))];
const alternatives = phraseLiterals().map(([source, literals]) => ({
  reason: 'undefined' as const,
  source,
  flags: 'i',
  re: null,
  literals,
}));
const gate = literalGate(alternatives);

const TEXTS = [
  'host mx.example.com[192.0.2.1] said: 550 5.1.1 <john@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)',
  '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
  '<x@y.example>: connect to y.example[192.0.2.5]:25: Connection timed out',
  'Postboksen til mottakeren er full og kan ikke ta imot meldinger nå.',
  '452 4.2.2 The email account that you tried to reach is over quota.',
];

describe('the literal gate', () => {
  it.each(TEXTS)('finds the same literals as includes(): %s', (text) => {
    const lower = text.toLowerCase();
    expect([...literalsIn(lower, gate)].sort()).toEqual(LITERALS.filter((l) => lower.includes(l)).sort());
  });

  it('finds the same literals in texts made of overlapping literal pieces', () => {
    const piece = fc.oneof(
      fc.constantFrom(...LITERALS),
      fc.constantFrom(...LITERALS).map((l) => l.slice(1)),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const lower = pieces.join('').toLowerCase();
        expect([...literalsIn(lower, gate)].sort()).toEqual(LITERALS.filter((l) => lower.includes(l)).sort());
      }),
      fuzzParams(300),
    );
  });

  it('names the same reasons once the gate is in use (after the first texts of a batch)', () => {
    const before = TEXTS.map((t) => reasonFromWords(t));
    for (let i = 0; i < 100; i++) reasonFromWords(`warm-up text ${i}`);
    expect(TEXTS.map((t) => reasonFromWords(t))).toEqual(before);
  });
});
