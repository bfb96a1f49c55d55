/**
 * The pattern checker against generated patterns: every pattern it accepts,
 * run the way ndr runs an organisation's pattern (flag i, through the guard:
 * at most 2,000 characters, white space folded), finishes each adversarial text within a time
 * budget. Patterns are built from the pieces that make backtracking slow:
 * repetitions, nested groups, alternatives that overlap, classes and escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuardedPattern, MAX_GUARDED_TEXT } from '../../src/knowledge/guarded-pattern.js';
import { unsafePatternReason } from '../../src/knowledge/safe-pattern.js';
import { fuzzParams, fuzzTimeout } from './settings.js';

/** Per match; the worst accepted shapes take ~0.3 s on a loaded 2-core machine. */
const BUDGET_MS = 1_500;

const atom = fc.constantFrom(
  'a',
  'x',
  'y',
  '.',
  '\\s',
  '\\S',
  '\\w',
  '\\d',
  '[^ ]',
  '[a-z]',
  '[ax]',
  '[^]',
  ' ',
  '\\u0061',
  '\\x61',
  '\\.',
  '!',
);
const quant = fc.constantFrom('', '', '?', '*', '+', '{0,200}', '{1,9}', '{2}', '{0,50}', '{3,}', '{0,200}?', '+?');

const pattern: fc.Arbitrary<string> = fc
  .letrec<{ p: string; seq: string; el: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('seq'),
      fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`),
    ),
    seq: fc.array(tie('el'), { minLength: 1, maxLength: 5 }).map((els) => els.join('')),
    el: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(atom, quant).map(([a, q]) => a + q),
      fc.tuple(fc.constantFrom('(', '(?:', '(?=', '(?!'), tie('p'), fc.constantFrom(')'), quant).map(([o, p, c, q]) => o + p + c + q),
      fc.constantFrom('^', '$', '\\b'),
    ),
  }))
  .p.filter((p) => {
    try {
      new RegExp(p, 'i');
      return true;
    } catch {
      return false;
    }
  });

/** Texts that make a backtracking engine try hard: long runs of what the pattern repeats, then a miss. */
function adversarialTexts(): string[] {
  const n = MAX_GUARDED_TEXT;
  // Longer than the guard lets through, and with runs of white space the guard folds.
  return [
    'a'.repeat(2 * n),
    'x'.repeat(n - 1) + '!',
    ' a'.repeat(n / 2),
    'ax'.repeat(n / 2) + '\n',
    'a'.repeat(n / 2) + ' '.repeat(n / 2),
    ' \t'.repeat(n) + 'a',
  ];
}

const texts = adversarialTexts();

describe('pattern checker (property)', () => {
  it(
    'every accepted pattern matches adversarial texts within the time budget',
    () => {
      let accepted = 0;
      let generated = 0;
      let slowest = { ms: 0, pattern: '' };
      fc.assert(
        fc.property(pattern, (p) => {
          generated++;
          if (unsafePatternReason(p) !== null) return;
          accepted++;
          const re = new GuardedPattern(p, 'i');
          for (const text of texts) {
            const t0 = performance.now();
            re.exec(text);
            const ms = performance.now() - t0;
            if (ms > slowest.ms) slowest = { ms, pattern: p };
            expect(ms, `${JSON.stringify(p)} on ${text.length} chars`).toBeLessThan(BUDGET_MS);
          }
        }),
        fuzzParams(400),
      );
      expect(accepted).toBeGreaterThan(0);
      // The figure for README's table.
      console.info(
        `pattern fuzz: ${generated} generated, ${accepted} accepted, slowest match ${slowest.ms.toFixed(1)} ms (${JSON.stringify(slowest.pattern)})`,
      );
    },
    fuzzTimeout(400, 15),
  );

  it('is never thrown by what it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(() => unsafePatternReason(s)).not.toThrow();
      }),
      fuzzParams(2_000),
    );
  });
});
