export interface Style {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  heading(s: string): string;
}

const unchanged = (s: string) => s;

/** No colour: what chalk at level 0 gives, without loading chalk. */
export const plainStyle: Style = {
  enabled: false,
  bold: unchanged,
  dim: unchanged,
  red: unchanged,
  yellow: unchanged,
  green: unchanged,
  cyan: unchanged,
  heading: unchanged,
};

/**
 * The style for a colour level. chalk (and the node:tty and node:net it
 * loads) is imported only when colour is on: off is the common case in
 * scripts and pipes, and there it cost more start-up time than the rest of
 * `ndr explain 5.7.1`. Synchronous form for tests: createStyle in chalk-style.ts.
 */
export async function loadStyle(level: 0 | 1 | 2 | 3): Promise<Style> {
  if (level === 0) return plainStyle;
  const { createStyle } = await import('./chalk-style.js');
  return createStyle(level);
}

/**
 * Colour level for a stream: --color/--no-color first, then NO_COLOR (set and
 * not empty), then FORCE_COLOR, then whether the stream is a terminal.
 * chalk alone does not honour NO_COLOR.
 */
export function colorLevel(opts: { flag?: boolean | undefined; env: NodeJS.ProcessEnv; isTTY: boolean }): 0 | 1 | 2 | 3 {
  if (opts.flag === false) return 0;
  if (opts.flag !== true) {
    if (opts.env.NO_COLOR !== undefined && opts.env.NO_COLOR !== '') return 0;
    const force = opts.env.FORCE_COLOR;
    if (force !== undefined && force !== '') {
      if (force === '0' || force === 'false') return 0;
      const n = Number(force);
      return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
    }
    if (!opts.isTTY || opts.env.TERM === 'dumb') return 0;
  }
  const t = opts.env.COLORTERM;
  return t === 'truecolor' || t === '24bit' ? 3 : /256/.test(opts.env.TERM ?? '') ? 2 : 1;
}
