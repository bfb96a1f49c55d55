import { Chalk, type ChalkInstance } from 'chalk';

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

export function createStyle(level: 0 | 1 | 2 | 3): Style {
  const c: ChalkInstance = new Chalk({ level });
  return {
    enabled: level > 0,
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    red: (s) => c.red(s),
    yellow: (s) => c.yellow(s),
    green: (s) => c.green(s),
    cyan: (s) => c.cyan(s),
    heading: (s) => c.bold.underline(s),
  };
}

export const plainStyle: Style = createStyle(0);

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
