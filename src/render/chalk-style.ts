import { Chalk, type ChalkInstance } from 'chalk';
import type { Style } from './style.js';

/**
 * A style that colours, for levels 1-3. Kept apart from style.ts because chalk
 * loads node:tty and with it node:net: commands import this module only when
 * colour is on (loadStyle), so a run with colour off never loads chalk.
 */
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
