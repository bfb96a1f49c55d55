import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/cli/options.js';

// One option table feeds commander and --help; README's options table must keep up with it.
describe('README documents every option', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it.each(OPTIONS.map((o) => [o.flags] as const))('%s', (flags) => {
    const long = /--[a-z-]+/.exec(flags)![0];
    expect(readme).toMatch(new RegExp(`\\| \`[^|]*${long}[^|]*\` \\|`));
  });
});
