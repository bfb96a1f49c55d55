/**
 * The code and text matcher on long adversarial strings: extractFacts and
 * explainText over the bundled knowledge base never throw, stay fast and
 * return well-formed findings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/text.js';
import { extractFacts, findTokens, MAX_SCAN_CHARS } from '../../src/knowledge/extract.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { fuzzParams, fuzzTimeout } from './settings.js';

const kb = loadKnowledgeBase();

const STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;
const REPLY = /^[245]\d\d$/;

/** Pieces of NDR wording, codes and near-codes that the matcher's regexes look for. */
const FRAGMENTS = [
  '550',
  '5.1.1',
  '5.7.1',
  '5.7.350',
  '4.4.7',
  '550 5.1.10',
  '550-5.7.1',
  '#550 #5.1.1',
  '554 ',
  '5.',
  '.5',
  '5.5.5.5.5',
  '999.999.999',
  '1.2.3.4',
  ' -> ',
  "'",
  '"',
  ';',
  'smtp;',
  ': ',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '#',
  '(',
  'AS(1234)',
  'ATTR35',
  'RESOLVER.ADR.RecipientNotFound',
  'STOREDRV.Deliver.Exception',
  'Access denied',
  'mailbox unavailable',
  'User unknown',
  'spam',
  'SPF',
  'DMARC',
  'quota',
  'over quota',
  'relay',
  'not permitted',
  'Remote server returned',
  'x',
  '.',
  '\u001b[2J',
  '\u202e',
  '\u200b',
  '\u0000',
  'é',
  '\ud83d\ude00',
  '\ud800',
];

/** Short inputs made of fragments, and long ones: a fragment pattern repeated up to ~300 KB (past the scan cap). */
const shortInput = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 60 }).map((a) => a.join(''));
const longInput = fc
  .tuple(
    fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }),
    fc.integer({ min: 1_000, max: 300_000 }),
    fc.string({ maxLength: 20 }),
  )
  .map(([parts, size, tail]) => {
    const unit = parts.join('');
    return unit.repeat(Math.ceil(size / unit.length)).slice(0, size) + tail;
  });
const anyText = fc.oneof(shortInput, shortInput, longInput, fc.string({ unit: 'binary', maxLength: 500 }));

describe('extractFacts and explainText (property)', () => {
  it(
    'extractFacts never throws and returns well-formed facts',
    () => {
      fc.assert(
        fc.property(anyText, (s) => {
          const facts = extractFacts(s);
          expect(Array.isArray(facts)).toBe(true);
          for (const f of facts) {
            if (f.status !== null) expect(f.status).toMatch(STATUS);
            if (f.replyCode !== null) expect(f.replyCode).toMatch(REPLY);
            if (f.wrappedBy !== null) expect(f.wrappedBy).toMatch(STATUS);
            expect(typeof f.text).toBe('string');
            expect(f.text.length).toBeLessThanOrEqual(MAX_SCAN_CHARS * 2);
          }
          // One fact per enhanced code.
          const codes = facts.flatMap((f) => (f.status ? [f.status] : []));
          expect(new Set(codes).size).toBe(codes.length);
          expect(Array.isArray(findTokens(s))).toBe(true);
        }),
        fuzzParams(300),
      );
    },
    fuzzTimeout(300, 20),
  );

  it(
    'explainText over the bundled knowledge base never throws and returns well-formed findings',
    () => {
      fc.assert(
        fc.property(anyText, (s) => {
          const ex = explainText(kb, s);
          expect(['code', 'text']).toContain(ex.kind);
          expect(ex.input.length).toBeLessThanOrEqual(MAX_SCAN_CHARS);
          for (const f of ex.findings) {
            // An entry, a code's generic meaning, or at least words that name a cause (a reason).
            expect(f.match !== null || f.generic !== null || (f.reason !== 'onhold' && f.reason !== 'undefined')).toBe(true);
            if (f.status !== null) expect(f.status).toMatch(STATUS);
            if (f.replyCode !== null) expect(f.replyCode).toMatch(REPLY);
            if (f.diagnostic !== null) expect(f.diagnostic.length).toBeLessThanOrEqual(2000);
            if (f.match) expect(kb.entries).toContain(f.match.entry);
          }
        }),
        fuzzParams(300),
      );
    },
    fuzzTimeout(300, 30),
  );

  it('a 1 MB string of near-codes finishes within a time budget', () => {
    for (const unit of ['5.5.5.', '550 550 550-', '#5', '5.1.1'.repeat(3) + ' ', 'RESOLVER.', "-> '", ' \n']) {
      const input = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
      const t0 = performance.now();
      explainText(kb, input);
      expect(performance.now() - t0, JSON.stringify(unit)).toBeLessThan(5000);
    }
  }, 60_000);

  it('a long run of whitespace before or after text stays linear (regression: the bare-code test backtracked quadratically, 100 KB took 6 s)', () => {
    const mb = 1024 * 1024;
    for (const input of [
      '\n'.repeat(mb) + 'x',
      ' '.repeat(mb) + '5.7.1 x',
      'x' + '\t'.repeat(mb) + ',',
      '\r\n'.repeat(mb / 2) + '550 5.1.1\n' + ' '.repeat(mb),
    ]) {
      const t0 = performance.now();
      explainText(kb, input);
      expect(performance.now() - t0, `${input.length} chars`).toBeLessThan(1000);
    }
    // Surrounding whitespace still leaves a bare code a code.
    expect(explainText(kb, '\n  550 5.1.10 \t\n').kind).toBe('code');
    expect(explainText(kb, ' '.repeat(10_000) + '5.7.1').kind).toBe('code');
    expect(explainText(kb, '\n'.repeat(10_000) + '5.7.1 x').kind).toBe('text');
  }, 30_000);
});
