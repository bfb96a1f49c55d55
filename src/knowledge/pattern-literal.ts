/**
 * The required literal of a knowledge-base pattern: a run of plain ASCII
 * characters that every match must contain, lower-cased. Matching by words
 * alone tries all 288 patterns on a text, and most do not match; a substring
 * test on the lower-cased text rules most of them out before the regular
 * expression runs (match.ts).
 *
 * Only what is surely required is taken: the longest run of literal
 * characters at the top level, outside groups, classes and lookarounds, with
 * no quantifier after its last character. A pattern with a top-level "|" has
 * none. Pure.
 *
 * Why the test on the lower-cased text never misses a match of a pattern
 * with the "i" flag and no "u" flag: such a pattern's ASCII letters match only
 * ASCII letters of either case (ECMAScript Canonicalize never maps a
 * character above 127 to one below), and lower-casing turns ASCII letters only
 * into ASCII letters. Lower-casing other characters can make a false hit
 * (the Kelvin sign becomes "k"), which costs only the regular expression run.
 */

/** Characters that stand for themselves when not escaped (besides letters and digits). */
const PLAIN = new Set([...' ,;:_-\'"=<>@#%&!~`/']);
/** Escaped characters that stand for themselves. */
const ESCAPED = new Set([...'.-/ \\()[]{}?*+^$|:;,=<>@#%&!~\'"']);
/** Runs shorter than this are not worth a test. */
const MIN_LENGTH = 3;

/** Index after the group or class that starts at `i` (source[i] is "(" or "["). */
function skipBracket(source: string, i: number): number {
  if (source[i] === '[') {
    for (let j = i + 1; j < source.length; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === ']' && j > i + 1) return j + 1;
    }
    return source.length;
  }
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipBracket(source, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return source.length;
}

/** Index after the escape that starts at `i` (source[i] is a backslash): \xHH, \uHHHH, \u{…}, \cX, \p{…}, \k<…>, or one character. */
function escapeEnd(source: string, i: number): number {
  const e = source[i + 1];
  const to = (close: string) => {
    const j = source.indexOf(close, i + 2);
    return j < 0 ? source.length : j + 1;
  };
  if (e === 'x') return i + 4;
  if (e === 'u') return source[i + 2] === '{' ? to('}') : i + 6;
  if (e === 'c') return i + 3;
  if ((e === 'p' || e === 'P') && source[i + 2] === '{') return to('}');
  if (e === 'k' && source[i + 2] === '<') return to('>');
  return i + 2;
}

/** Index after a quantifier at `i` ("?", "*", "+", "{m,n}", each perhaps lazy), or `i` when there is none. */
function skipQuantifier(source: string, i: number): number {
  let j = i;
  if (source[j] === '?' || source[j] === '*' || source[j] === '+') j++;
  else if (source[j] === '{') {
    const m = /^\{\d*(?:,\d*)?\}/.exec(source.slice(j));
    if (!m) return i;
    j += m[0].length;
  } else return i;
  if (source[j] === '?') j++;
  return j;
}

function hasTopLevelAlternation(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') i = skipBracket(source, i) - 1;
    else if (c === '|') return true;
  }
  return false;
}

/** The top-level alternatives of `source` ("a|b(c|d)" gives "a" and "b(c|d)"). */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') i = skipBracket(source, i) - 1;
    else if (c === '|') {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

/** The lower-cased required literal of `source` (a pattern's source), or null when it has none worth testing. */
export function requiredLiteral(source: string): string | null {
  if (hasTopLevelAlternation(source)) return null;
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let literal: string | null = null;
    let next = i + 1;
    if (c === '\\') {
      const e = source[i + 1];
      if (e !== undefined && ESCAPED.has(e)) literal = e;
      next = escapeEnd(source, i);
    } else if (c === '(' || c === '[') {
      next = skipBracket(source, i);
    } else if (/[A-Za-z0-9]/.test(c) || PLAIN.has(c)) {
      literal = c;
    }
    const after = skipQuantifier(source, next);
    if (literal !== null && after === next) {
      run += literal.toLowerCase();
    } else {
      // A quantified character may be absent or repeated: the run ends before it.
      end();
    }
    i = after;
  }
  end();
  return best.length >= MIN_LENGTH ? best : null;
}
