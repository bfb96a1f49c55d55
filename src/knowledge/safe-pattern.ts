import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * A conservative check that a knowledge-base pattern cannot make JavaScript's
 * backtracking engine slow. The pattern is parsed with a real ECMAScript
 * regular-expression parser (regexpp, the one ESLint uses) and judged on its
 * syntax tree, so escapes, character classes and groups are read exactly as
 * the engine reads them (see knowledge/README.md, "Pattern safety"):
 *
 * - no back-references and no look-behind;
 * - every repetition bounded by at most MAX_BOUND, except on white space
 *   (matching runs on text whose white space is folded to single spaces);
 * - no repetition inside a repeated part (nested repetition);
 * - a part repeated more than once holds no alternatives that can start with
 *   the same character (or match nothing), so each round has one way to go;
 * - an estimate of the steps the engine can try per start position (repeated
 *   parts next to each other that can match the same characters multiply)
 *   stays under MAX_PATTERN_COST: this is what rules out x{0,200}x{0,200}x{0,200}.
 *
 * Loaded only with a YAML knowledge base (load.ts), never by the compiled one.
 */
export const MAX_BOUND = 200;
/** Steps to try per start position; the bundled KB's costliest pattern is about 20,000. */
export const MAX_PATTERN_COST = 25_000;
/** Longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 1_000;

type Ranges = [number, number][];
const MAX_CP = 0x10ffff;

function normalise(r: Ranges): Ranges {
  const sorted = r.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of normalise(r)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function overlaps(a: Ranges, b: Ranges): boolean {
  return a.some(([a0, a1]) => b.some(([b0, b1]) => a0 <= b1 && b0 <= a1));
}

function within(a: Ranges, b: Ranges): boolean {
  return a.every(([a0, a1]) => b.some(([b0, b1]) => b0 <= a0 && a1 <= b1));
}

// ECMAScript's \s (WhiteSpace and LineTerminator), \d and \w.
const SPACE: Ranges = normalise([
  [9, 13],
  [32, 32],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const DIGIT: Ranges = [[48, 57]];
const WORD: Ranges = normalise([
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
]);
const LINE_TERMINATORS: Ranges = [
  [10, 10],
  [13, 13],
  [0x2028, 0x2029],
];
const NON_ASCII: Ranges = [[0x80, MAX_CP]];

/**
 * Adds what case-insensitive matching can also match. ASCII letters get their
 * other case (and U+017F, U+212A, which fold to s and k); any other range that
 * holds a non-ASCII character grows to all of non-ASCII: too wide, which only
 * makes the check stricter.
 */
function caseless(r: Ranges): Ranges {
  if (r.length === 1 && r[0]![0] === r[0]![1] && r[0]![0] < 0x80) return ASCII_CASELESS[r[0]![0]]!;
  return caselessRanges(r);
}

function caselessRanges(r: Ranges): Ranges {
  const out: Ranges = [...r];
  for (const [a, b] of r) {
    for (const [lo, hi, shift] of [
      [65, 90, 32],
      [97, 122, -32],
    ] as const) {
      const x = Math.max(a, lo);
      const y = Math.min(b, hi);
      if (x <= y) {
        out.push([x + shift, y + shift]);
        if (x <= (shift > 0 ? 83 : 115) && (shift > 0 ? 83 : 115) <= y) out.push([0x17f, 0x17f]);
        if (x <= (shift > 0 ? 75 : 107) && (shift > 0 ? 75 : 107) <= y) out.push([0x212a, 0x212a]);
      }
    }
    if (b >= 0x80) out.push(...NON_ASCII);
    if (a <= 0x17f && 0x17f <= b) out.push([83, 83], [115, 115]);
    if (a <= 0x212a && 0x212a <= b) out.push([75, 75], [107, 107]);
  }
  return normalise(out);
}

/** caseless() of each ASCII character, taken once: most of a pattern is plain letters. */
const ASCII_CASELESS: readonly Ranges[] = Array.from({ length: 0x80 }, (_, c) => caselessRanges([[c, c]]));

interface Shape {
  /** Every character the part can consume. */
  chars: Ranges;
  /** Characters it can start with. */
  first: Ranges;
  /** It can match the empty string. */
  nullable: boolean;
  /** It holds a repetition, at any depth. */
  repeats: boolean;
  /** It holds alternatives, at any depth. */
  alternates: boolean;
  /** Steps to try per start position (an estimate, see the module comment). */
  work: number;
  /** Ways it can end, each of which the rest of the pattern is tried after. */
  ways: number;
}

class Unsafe extends Error {}

const EMPTY: Shape = { chars: [], first: [], nullable: true, repeats: false, alternates: false, work: 1, ways: 1 };
const cap = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);

function atom(chars: Ranges): Shape {
  return { chars, first: chars, nullable: false, repeats: false, alternates: false, work: 1, ways: 1 };
}

class Checker {
  constructor(
    private readonly ignoreCase: boolean,
    private readonly dotAll: boolean,
  ) {}

  private chars(r: Ranges): Ranges {
    return this.ignoreCase ? caseless(normalise(r)) : normalise(r);
  }

  /** What one character, range or escape matches, case folding included (\s, \d and . need none). */
  private set(node: AST.CharacterSet | AST.CharacterClassElement): Ranges {
    switch (node.type) {
      case 'Character':
        return this.chars([[node.value, node.value]]);
      case 'CharacterClassRange':
        return this.chars([[node.min.value, node.max.value]]);
      case 'CharacterSet': {
        if (node.kind === 'any') return this.dotAll ? [[0, MAX_CP]] : complement(LINE_TERMINATORS);
        // Unicode properties: taken as any character, which only makes the check stricter.
        const base =
          node.kind === 'digit'
            ? DIGIT
            : node.kind === 'space'
              ? SPACE
              : node.kind === 'word'
                ? this.chars(WORD)
                : ([[0, MAX_CP]] as Ranges);
        return node.negate && node.kind !== 'property' ? complement(base) : base;
      }
      default:
        // Class set operands only exist with the v flag, which knowledge-base patterns do not use.
        throw new Unsafe('an unsupported character class');
    }
  }

  alternatives(alts: AST.Alternative[]): Shape {
    const shapes = alts.map((a) => this.sequence(a.elements));
    if (shapes.length === 1) return shapes[0]!;
    return {
      chars: normalise(shapes.flatMap((s) => s.chars)),
      first: normalise(shapes.flatMap((s) => s.first)),
      nullable: shapes.some((s) => s.nullable),
      repeats: shapes.some((s) => s.repeats),
      alternates: true,
      // Overlap between alternatives is judged where they are repeated (quantifier()).
      work: cap(shapes.reduce((sum, s) => sum + s.work, 0)),
      ways: cap(shapes.reduce((sum, s) => sum + s.ways, 0)),
    };
  }

  private sequence(elements: AST.Element[]): Shape {
    const shapes = elements.map((e) => this.element(e));
    // Each way the parts before have ended is a start for the next part; a
    // single character tried after them costs one step whichever way.
    let ways = 1;
    let work = 0;
    shapes.forEach((s, i) => {
      const e = elements[i]!;
      if (e.type === 'Character' || e.type === 'CharacterSet' || e.type === 'CharacterClass') {
        work += 1;
        return;
      }
      work = cap(work + ways * s.work);
      if (e.type === 'Assertion') return; // a look-ahead is not re-entered: it adds no ways to end
      // A repetition followed by a part that must start with a character it
      // cannot match has one way to end (where its characters stop).
      const next = e.type === 'Quantifier' ? shapes.slice(i + 1).find((_n, j) => elements[i + 1 + j]!.type !== 'Assertion') : undefined;
      const cut = next !== undefined && !next.nullable && !overlaps(s.chars, next.first);
      if (!cut) ways = cap(ways * s.ways);
    });
    let first: Ranges = [];
    let nullable = true;
    for (const s of shapes) {
      first = first.concat(s.first);
      if (!s.nullable) {
        nullable = false;
        break;
      }
    }
    return {
      chars: normalise(shapes.flatMap((s) => s.chars)),
      first: normalise(first),
      nullable,
      repeats: shapes.some((s) => s.repeats),
      alternates: shapes.some((s) => s.alternates),
      work: Math.max(1, work),
      ways,
    };
  }

  private element(node: AST.Element): Shape {
    switch (node.type) {
      case 'Character':
      case 'CharacterSet':
        return atom(normalise(this.set(node)));
      case 'CharacterClass': {
        if (node.unicodeSets) throw new Unsafe('an unsupported character class');
        const inner = normalise(node.elements.flatMap((el) => this.set(el as AST.CharacterClassElement)));
        // Case folding applies before negation: [^a] with i matches neither a nor A.
        return atom(node.negate ? complement(inner) : inner);
      }
      case 'Backreference':
        throw new Unsafe('back-references are not allowed');
      case 'Assertion':
        if (node.kind === 'lookbehind') throw new Unsafe('look-behind is not allowed');
        if (node.kind === 'lookahead') {
          const inner = this.alternatives(node.alternatives);
          return { ...EMPTY, repeats: inner.repeats, alternates: inner.alternates, work: inner.work };
        }
        return EMPTY;
      case 'Group':
        if (node.modifiers) throw new Unsafe('flag modifiers (?i:...) are not allowed');
        return this.alternatives(node.alternatives);
      case 'CapturingGroup':
        return this.alternatives(node.alternatives);
      case 'Quantifier':
        return this.quantifier(node);
      default:
        throw new Unsafe('an unsupported construct');
    }
  }

  private quantifier(node: AST.Quantifier): Shape {
    const inner = this.element(node.element);
    const text = node.raw.slice(node.element.raw.length);
    const unbounded = node.max === Infinity;
    if (!unbounded && node.max > MAX_BOUND) throw new Unsafe(`a repetition bound over ${MAX_BOUND} (${text})`);
    if (unbounded && (inner.repeats || inner.alternates || !within(inner.chars, SPACE) || inner.nullable)) {
      throw new Unsafe(`unbounded '${text}' on something other than white space: use a bound such as {0,80}`);
    }
    if (inner.repeats) throw new Unsafe('a repeated part that holds a repetition (nested repetition)');
    if (node.max > 1 && inner.alternates) {
      const branches = alternativesOf(node.element).map((alts) => alts.map((a) => this.sequence(a.elements)));
      for (const shapes of branches) {
        for (let i = 0; i < shapes.length; i++) {
          if (shapes[i]!.nullable) throw new Unsafe('a repeated part with an alternative that matches nothing');
          for (let j = i + 1; j < shapes.length; j++) {
            if (overlaps(shapes[i]!.first, shapes[j]!.first))
              throw new Unsafe('a repeated part whose alternatives can start with the same character');
          }
        }
      }
    }
    // Folded white space: an unbounded run of it is one character or none.
    const rounds = unbounded ? 2 : node.max - node.min + 1;
    return {
      chars: inner.chars,
      first: inner.first,
      nullable: node.min === 0 || inner.nullable,
      repeats: node.max > 1 || node.max !== node.min,
      alternates: inner.alternates,
      work: cap(rounds * inner.work),
      ways: cap(rounds * inner.ways),
    };
  }
}

/** Every set of alternatives inside a node (groups within groups), for the overlap test. */
function alternativesOf(node: AST.Node): AST.Alternative[][] {
  const out: AST.Alternative[][] = [];
  const walk = (n: AST.Node) => {
    if (n.type === 'Group' || n.type === 'CapturingGroup') {
      if (n.alternatives.length > 1) out.push(n.alternatives);
      for (const a of n.alternatives) for (const e of a.elements) walk(e);
    } else if (n.type === 'Quantifier') walk(n.element);
  };
  walk(node);
  return out;
}

/**
 * Why a knowledge-base pattern is refused, or null when it is safe. Patterns
 * run with the flag i (validate.ts); `flags` is there for the tests.
 */
export function unsafePatternReason(source: string, flags = 'i'): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(source, 0, source.length, {
      unicode: flags.includes('u'),
      unicodeSets: false,
    });
  } catch (e) {
    return `not a regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  try {
    const shape = new Checker(flags.includes('i'), flags.includes('s')).alternatives(pattern.alternatives);
    if (shape.work > MAX_PATTERN_COST) {
      return `repeated parts next to each other can match the same text (about ${shape.work >= 1e9 ? 'a billion or more' : shape.work.toLocaleString('en')} steps to try at each position, at most ${MAX_PATTERN_COST.toLocaleString('en')}): put a character they cannot match between them, or bound them more tightly`;
    }
  } catch (e) {
    if (e instanceof Unsafe) return e.message;
    throw e;
  }
  return null;
}
