import { describe, expect, it } from 'vitest';
import { unsafePatternReason } from '../../src/knowledge/safe-pattern.js';

describe('knowledge-base pattern safety', () => {
  it.each([
    'RESOLVER\\.ADR\\.RecipNotFound',
    'relay (?:access )?denied',
    'AS\\(\\d{3,10}\\)',
    'blocked using .{0,80}spamhaus',
    'user\\s+unknown',
    'mailbox (?:is )?full|over quota',
    '[a-z]{2,20}@',
    'x{2}',
  ])('accepts %s', (p) => expect(unsafePatternReason(p)).toBeNull());

  it.each([
    ['(a+)+b', /unbounded/],
    ['(a{1,5}){1,5}', /nested/],
    ['foo.*bar', /unbounded/],
    ['\\d+', /unbounded/],
    ['[^x]+', /unbounded/],
    ['x{1,}', /unbounded/],
    ['x{0,500}', /over 200/],
    ['(foo)\\1', /back-references/],
    ['(?<=a)b', /look-behind/],
    ['(ab', /unbalanced/],
  ])('rejects %s', (p, reason) => expect(unsafePatternReason(p)).toMatch(reason));
});
