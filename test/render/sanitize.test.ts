import { describe, expect, it } from 'vitest';
import { hasUnsafeChars, safeJson, sanitize } from '../../src/render/sanitize.js';

describe('the terminal sanitiser', () => {
  it.each([
    ['plain text\twith tab\nand newline', 'plain text\twith tab\nand newline'],
    ['CRLF\r\nline', 'CRLF\nline'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['\u001b]52;c;ZWNobyBwd25lZA==\u0007', '\\x1b]52;c;ZWNobyBwd25lZA==\\x07'],
    ['\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\', '\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\'],
    ['\u001bP1$r\u001b\\', '\\x1bP1$r\\x1b\\'],
    ['8-bit CSI \u009b31m', '8-bit CSI \\x9b31m'],
    ['SPF: fail\rSPF: pass', 'SPF: fail\\x0dSPF: pass'],
    ['pass\b\b\b\bfail', 'pass\\x08\\x08\\x08\\x08fail'],
    ['abc\u202eevil\u202c', 'abc\\u202eevil\\u202c'],
    ['zero\u200bwidth\ufeff', 'zero\\u200bwidth\\ufeff'],
    ['NUL\u0000DEL\u007f', 'NUL\\x00DEL\\x7f'],
    ['ünïcödé ✓ 日本', 'ünïcödé ✓ 日本'],
  ])('%j', (input, expected) => {
    expect(sanitize(input)).toBe(expected);
    expect(hasUnsafeChars(input)).toBe(input !== expected && !/^CRLF/.test(input));
  });

  it('escapes C1 and bidi characters in JSON', () => {
    const json = safeJson({ s: 'a\u009bb\u202ec\u2028d\u001be' });
    expect(json).toBe('{"s":"a\\u009bb\\u202ec\\u2028d\\u001be"}');
    expect(JSON.parse(json)).toEqual({ s: 'a\u009bb\u202ec\u2028d\u001be' });
  });
});
