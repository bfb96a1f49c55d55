/**
 * isoTime (src/bounce/iso-time.ts) writes a time exactly as
 * Date.prototype.toISOString does, over the whole range of valid times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/bounce/iso-time.js';
import { fuzzParams } from '../fuzz/settings.js';

const MAX = 8.64e15; // the largest time a Date holds, either side of 1970

describe('isoTime', () => {
  it.each([
    0,
    1737024139000,
    -1,
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(10000, 0, 1),
    Date.UTC(0, 0, 1) - 1,
    Date.UTC(-1, 0, 1),
    -62198755200000, // year 0
    MAX,
    -MAX,
  ])('writes %d as toISOString does', (ms) => {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with toISOString on any valid time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX, max: MAX }), (ms) => isoTime(ms) === new Date(ms).toISOString()),
      fuzzParams(20_000),
    );
  });

  it('agrees with toISOString on the dates mail headers carry', () => {
    for (const text of ['Thu, 16 Jan 2025 10:42:19 +0000', 'Mon, 1 Dec 2026 23:59:59 -0800', '2 Feb 1999 00:00 +1400']) {
      const ms = Date.parse(text);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
