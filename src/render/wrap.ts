/**
 * Line filling for the terminal. Widths count columns as the terminal does for
 * what ndr prints: one per code point, colour escapes (ESC [ ... m, from our
 * own style) none. Input text has passed sanitize(), so any other control is
 * already a visible escape.
 */

import { thousands } from '../core/numbers.js';

const SGR = /\x1b\[[0-9;]*m/g;
const NOT_PLAIN = /[\x1b\uD800-\uDFFF]/;

/** Columns a string takes on screen (colour escapes excluded). */
export function visibleWidth(s: string): number {
  // Most words are plain: no escape and no surrogate pair, one column per UTF-16 unit.
  if (!NOT_PLAIN.test(s)) return s.length;
  let n = 0;
  for (const _ of s.replace(SGR, '')) n++;
  return n;
}

/** The shortest piece of a long word worth starting on a line that has other words. */
const MIN_PIECE = 10;

/** Places a word too long for any line may be broken after (an address or URL): after / . @ ? & = _ - */
const BREAK_AFTER = /[/.@?&=_-]/;

/**
 * Splits a word that is wider than `room` into pieces of at most `room`
 * columns, preferring to break after a separator in the second half of each
 * piece. Only words longer than a whole line come here, in practice
 * addresses, URLs and long tokens; ordinary words are never cut.
 */
function breakLongWord(word: string, room: number): string[] {
  if (word.includes('\x1b')) return [word]; // styled: never cut inside an escape
  const chars = [...word];
  const pieces: string[] = [];
  while (chars.length > room) {
    let cut = room;
    for (let i = room - 1; i >= Math.ceil(room / 2); i--) {
      if (BREAK_AFTER.test(chars[i]!)) {
        cut = i + 1;
        break;
      }
    }
    pieces.push(chars.splice(0, cut).join(''));
  }
  pieces.push(chars.join(''));
  return pieces;
}

/**
 * Wraps prose to `width` columns, indenting every line by `indent` and
 * continuation lines by `hang` more. Breaks only between words; a word longer
 * than a whole line (an address, a URL) is broken inside, after a separator
 * where it can. Each "\n" in `text` starts a new paragraph.
 */
export function wrap(text: string, width: number, indent = '', hang = ''): string {
  const out: string[] = [];
  const first = visibleWidth(indent);
  const next = first + visibleWidth(hang);
  for (const para of text.split('\n')) {
    let line = indent;
    let used = first;
    let empty = true;
    const newline = () => {
      out.push(line);
      line = indent + hang;
      used = next;
      empty = true;
    };
    const append = (w: string) => {
      line += (empty ? '' : ' ') + w;
      used += (empty ? 0 : 1) + visibleWidth(w);
      empty = false;
    };
    const push = (w: string) => {
      const ww = visibleWidth(w);
      // Longer than a whole line: it is broken anyway, so it starts on this line if a fair piece fits.
      const long = ww > width - next;
      if (!empty && used + 1 + ww > width && !(long && width - used - 1 >= MIN_PIECE)) newline();
      const room = Math.max(1, width - used - (empty ? 0 : 1));
      if (ww <= room || !long) {
        append(w);
        return;
      }
      const [head, ...rest] = breakLongWord(w, room);
      append(head!);
      for (const piece of breakLongWord(rest.join(''), Math.max(1, width - next))) {
        if (!piece) continue;
        newline();
        append(piece);
      }
    };
    for (const w of para.split(/ +/).filter(Boolean)) push(w);
    out.push(line);
  }
  return out.join('\n');
}

/**
 * Shortens `text` to at most `width` columns at a word boundary, ending it
 * with `mark` so that the cut shows. Text that fits is returned unchanged.
 */
export function shorten(text: string, width: number, mark = '...'): string {
  if (visibleWidth(text) <= width) return text;
  const room = Math.max(0, width - mark.length);
  const chars = [...text];
  let cut = room;
  const space = chars.slice(0, room + 1).lastIndexOf(' ');
  if (space > room / 2) cut = space;
  return chars.slice(0, cut).join('').trimEnd() + mark;
}

/**
 * Cuts `text` after at most `limit` characters (at a word boundary when one
 * is near) and says how much was left out, as "... (2,431 more characters;
 * --full)". `hint` names where the rest is shown.
 */
export function clip(text: string, limit: number, hint = '--full'): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  let cut = limit;
  const space = chars.slice(0, limit + 1).lastIndexOf(' ');
  if (space > limit * 0.8) cut = space;
  const more = chars.length - cut;
  return `${chars.slice(0, cut).join('').trimEnd()} ... (${thousands(more)} more character${more === 1 ? '' : 's'}; ${hint})`;
}
