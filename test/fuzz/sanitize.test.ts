/**
 * The one terminal sanitiser (src/render/sanitize.ts) for any string: nothing
 * that can steer a terminal or reorder text survives, and safeJson round-trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasUnsafeChars, safeJson, sanitize } from '../../src/render/sanitize.js';
import { FUZZ_SEED, fuzzParams, fuzzTimeout } from './settings.js';

// cli-conventions.md §B2.1: C0 but \n and \t, DEL, C1, bidi controls, zero-width/format characters.
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;
// In JSON text the C0 range is escaped by JSON.stringify (a raw \n only comes from indenting);
// DEL, C1 and bidi must be escaped by safeJson.
const FORBIDDEN_JSON = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

const hostileChars = [
  '\u001b',
  '\u009b',
  '\u009d',
  '\u0090',
  '\u0007',
  '\u0008',
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u061c',
  '\u00ad',
  '[',
  ']',
  ';',
  '\\',
  '8',
  '52',
  'P',
  'a',
  ' ',
  '\r\n',
  '\ud83d',
  '\ude00',
  'é',
];

/** Strings dense in the characters that matter, mixed with arbitrary code units and full Unicode. */
const hostileString = fc.oneof(
  fc.array(fc.constantFrom(...hostileChars), { maxLength: 200 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
);

/** JSON values whose strings (and keys) are hostile. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('sanitize (property)', () => {
  it(
    'leaves no C0 (but \\n \\t), DEL, C1, bidi or zero-width character',
    () => {
      fc.assert(
        fc.property(hostileString, (s) => {
          const out = sanitize(s);
          expect(out).not.toMatch(FORBIDDEN_TEXT);
          // Tampering is visible: an escaped character leaves a backslash escape behind.
          if (hasUnsafeChars(s)) expect(out).toMatch(/\\(x[0-9a-f]{2}|u[0-9a-f]{4})/);
        }),
        fuzzParams(3000),
      );
    },
    fuzzTimeout(3000, 0.2),
  );

  it('keeps text without unsafe characters as it is (CRLF becomes LF)', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        if (!hasUnsafeChars(s)) expect(sanitize(s)).toBe(s.replace(/\r\n/g, '\n'));
      }),
      fuzzParams(2000),
    );
  });

  it(
    'safeJson parses back to the same value and holds no raw control, C1 or bidi character',
    () => {
      fc.assert(
        fc.property(hostileJson, fc.constantFrom(undefined, 2), (v, indent) => {
          const out = safeJson(v, indent);
          expect(out).not.toMatch(FORBIDDEN_JSON);
          expect(JSON.parse(out)).toEqual(v);
        }),
        fuzzParams(2000),
      );
    },
    fuzzTimeout(2000, 0.5),
  );

  it('uses the fixed seed in npm test', () => {
    expect(Number.isInteger(FUZZ_SEED)).toBe(true);
  });
});
