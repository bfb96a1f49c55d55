/**
 * thousands (src/core/numbers.ts) writes whole numbers as toLocaleString('en-US')
 * does, without ICU's number formatter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/core/numbers.js';
import { fuzzParams } from '../fuzz/settings.js';

describe('thousands', () => {
  it.each([
    0,
    7,
    999,
    1000,
    2431,
    100000,
    1234567,
    -1,
    -1000,
    -987654321,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1.5,
    1e21,
    NaN,
  ])('writes %d as toLocaleString("en-US") does', (n) => {
    expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });

  it('agrees with toLocaleString("en-US") on any safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => thousands(n) === n.toLocaleString('en-US')),
      fuzzParams(5_000),
    );
  });
});
