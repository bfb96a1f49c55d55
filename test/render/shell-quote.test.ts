import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArg, shellJoin } from '../../src/render/shell-quote.js';

const ok = (arg: string, expected: string) => it(`${JSON.stringify(arg)} -> ${expected}`, () => expect(quoteArg(arg)).toBe(expected));

describe('quoteArg for a POSIX shell', () => {
  ok('5.1.10', '5.1.10');
  ok('alice@contoso.com', 'alice@contoso.com');
  ok('/tmp/bounce.eml', '/tmp/bounce.eml');
  ok('--audience', '--audience');
  ok('', "''");
  ok('550 5.1.10', "'550 5.1.10'");
  ok("it's", "'it'\\''s'");
  ok('$(rm -rf ~)', "'$(rm -rf ~)'");
  ok('`id`', "'`id`'");
  ok('a;b|c&d', "'a;b|c&d'");
  ok('*.eml', "'*.eml'");
  ok('~/x', "'~/x'");
  ok('"x"', `'"x"'`);
  ok('back\\slash', "'back\\slash'");
});

describe('shellJoin makes untrusted text printable', () => {
  it('folds line breaks and tabs', () =>
    expect(shellJoin(['ndr', 'explain', '550 5.1.10\r\n  not found\tnow'])).toBe("ndr explain '550 5.1.10 not found now'"));
  it('shows escapes instead of emitting them', () => {
    const line = shellJoin(['ndr', 'explain', '550 \u001b]52;c;ZWNobyBoaQ==\u0007 \u202eevil']);
    expect(line).toBe("ndr explain '550 \\x1b]52;c;ZWNobyBoaQ==\\x07 \\u202eevil'");
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});

describe('the shell gives back what was quoted', () => {
  const nasty = ["it's", '$(echo pwned)', '`id`', 'a b  c', '*', '~', '"x" \\ y', '!history', '', 'newline-free; rm -rf /'];
  it('sh -c printf', () => {
    const out = execFileSync('sh', ['-c', `printf '%s\\n' ${nasty.map(quoteArg).join(' ')}`], { encoding: 'utf8' });
    expect(out).toBe(nasty.map((a) => `${a}\n`).join(''));
  });
});
