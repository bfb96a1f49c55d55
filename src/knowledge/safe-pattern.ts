/**
 * A conservative check that a knowledge-base pattern runs in linear time on
 * JavaScript's backtracking engine. It does not try to be clever: it accepts a
 * small, clearly safe subset (see knowledge/README.md) and names the first
 * construct outside it.
 *
 * Why bounded quantifiers: with every repetition bounded by at most 200 and no
 * repetition nested in another, the work per start position is bounded by a
 * constant, so a match over n characters costs O(n).
 */
export const MAX_BOUND = 200;

export function unsafePatternReason(source: string): string | null {
  // Stack of groups: does the open group contain a quantifier?
  const groups: { quantified: boolean }[] = [];
  let lastAtom: { kind: 'space' | 'atom' | 'group'; containsQuantifier: boolean } | null = null;
  let i = 0;
  const markQuantified = () => {
    for (const g of groups) g.quantified = true;
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) return 'a pattern cannot end with a backslash';
      if (/[1-9]/.test(next)) return 'back-references are not allowed';
      if (next === 'k' && source[i + 2] === '<') return 'back-references are not allowed';
      if ((next === 'u' || next === 'x') && source[i + 2] === '{') {
        const close = source.indexOf('}', i);
        if (close < 0) return 'unterminated \\u{...} escape';
        i = close + 1;
      } else if (next === 'u') {
        i += 6;
      } else if (next === 'x') {
        i += 4;
      } else {
        i += 2;
      }
      lastAtom = { kind: next === 's' ? 'space' : 'atom', containsQuantifier: false };
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return 'unterminated character class';
      i = j + 1;
      lastAtom = { kind: 'atom', containsQuantifier: false };
      continue;
    }
    if (ch === '(') {
      if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) return 'look-behind is not allowed';
      groups.push({ quantified: false });
      i += source.startsWith('(?:', i) || source.startsWith('(?=', i) || source.startsWith('(?!', i) ? 3 : 1;
      if (source.startsWith('?<', i - 1) && source[i] === '<') {
        const close = source.indexOf('>', i);
        i = close < 0 ? source.length : close + 1;
      }
      lastAtom = null;
      continue;
    }
    if (ch === ')') {
      const g = groups.pop();
      if (!g) return 'unbalanced parenthesis';
      lastAtom = { kind: 'group', containsQuantifier: g.quantified };
      i++;
      continue;
    }
    if (ch === '*' || ch === '+' || ch === '{' || ch === '?') {
      let unbounded = ch === '*' || ch === '+';
      let len = 1;
      if (ch === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
        if (!m) {
          // A literal brace, as JavaScript allows outside unicode mode.
          lastAtom = { kind: 'atom', containsQuantifier: false };
          i++;
          continue;
        }
        len = m[0].length;
        if (m[2] !== undefined && m[3] === '') unbounded = true;
        else if (Number(m[3] ?? m[1]) > MAX_BOUND) return `a repetition bound over ${MAX_BOUND} (${m[0]})`;
      }
      if (!lastAtom) return `a quantifier '${ch}' with nothing to repeat`;
      if (unbounded && lastAtom.kind !== 'space') {
        return `unbounded '${source.slice(i, i + len)}' on something other than white space: use a bound such as {0,80}`;
      }
      if (lastAtom.kind === 'group' && lastAtom.containsQuantifier) return 'a quantified group that holds a quantifier (nested repetition)';
      markQuantified();
      i += len;
      if (source[i] === '?') i++; // lazy modifier
      lastAtom = { kind: 'atom', containsQuantifier: true };
      continue;
    }
    if (ch === ' ') {
      lastAtom = { kind: 'space', containsQuantifier: false };
    } else if (ch === '|' || ch === '^' || ch === '$') {
      lastAtom = null;
    } else {
      lastAtom = { kind: 'atom', containsQuantifier: false };
    }
    i++;
  }
  if (groups.length) return 'unbalanced parenthesis';
  return null;
}
