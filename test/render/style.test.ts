import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/render/chalk-style.js';
import { loadStyle, plainStyle, type Style } from '../../src/render/style.js';

const METHODS = ['bold', 'dim', 'red', 'yellow', 'green', 'cyan', 'heading'] as const;
const SAMPLES = ['', 'plain', 'two\nlines', 'crlf\r\nline', '\u001b[1mnested\u001b[22m', '  spaced  '];

function outputs(style: Style): string[] {
  return METHODS.flatMap((m) => SAMPLES.map((s) => style[m](s)));
}

describe('styles', () => {
  it('without colour: what chalk gives at level 0, without loading it', async () => {
    expect(outputs(plainStyle)).toEqual(outputs(createStyle(0)));
    expect(plainStyle.enabled).toBe(false);
    expect(await loadStyle(0)).toBe(plainStyle);
  });

  it.each([1, 2, 3] as const)('with colour level %s: chalk, loaded on demand', async (level) => {
    const style = await loadStyle(level);
    expect(style.enabled).toBe(true);
    expect(outputs(style)).toEqual(outputs(createStyle(level)));
    expect(style.heading('x')).toBe('\u001b[1m\u001b[4mx\u001b[24m\u001b[22m');
  });
});
