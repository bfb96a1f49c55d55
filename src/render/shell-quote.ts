import { sanitize } from '../render/sanitize.js';

/** Characters no POSIX shell treats specially anywhere in a word. */
const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;

/**
 * Quotes one argument for a POSIX shell (sh, dash, bash, zsh). Safe words stay
 * bare; everything else goes in single quotes, inside which nothing is special
 * (POSIX.1-2017 XCU §2.2.2), and a single quote is written as '\''.
 */
export function quoteArg(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Makes untrusted text fit to stand in a command line that is printed to a
 * terminal and pasted into tickets: line breaks and tabs (with the spaces
 * around them) fold to one space, as the matcher folds white space anyway, and
 * every other control, bidi or invisible character becomes the sanitiser's
 * visible escape. What is printed is then exactly what the shell passes on.
 */
export function printableArg(text: string): string {
  return sanitize(text.replace(/ *[\t\n\r\f\v][\t\n\r\f\v ]*/g, ' '));
}

/** An argv as one line for a POSIX shell: each argument made printable, then quoted. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => quoteArg(printableArg(a))).join(' ');
}
