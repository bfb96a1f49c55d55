/**
 * Exchange's NDR phrases (exchange-phrases.ts) as patterns, one language at a
 * time, and the words of each phrase for the cheap prefilter in
 * exchange-lines.ts.
 */
import { EXCHANGE_LANGUAGES, type ExchangeLanguage } from './exchange-phrases.js';
import { PRECOMPUTED_PHRASE_WORDS_JSON } from './exchange-words.js';
import { phrasePattern } from './text-util.js';

export type PhraseKey = Exclude<keyof ExchangeLanguage, 'lang' | 'parties'>;

/** The ways a phrase pattern is used: anywhere in a line, a heading alone on its line, "Label: value", a line that starts with it. */
export type Shape = 'line' | 'heading' | 'labelled' | 'start';

const SHAPES: Record<Shape, (source: string) => string> = {
  line: (source) => source,
  heading: (source) => `^\\s*(?:${source})\\s*:?\\s*$`,
  labelled: (source) => `^\\s*(?:${source})\\s*:?\\s*(.*)$`,
  start: (source) => `^\\s*(?:${source})`,
};

/**
 * One language's phrase patterns, built on first use: a pattern with flags iu
 * takes milliseconds to compile, and most messages need none of them. There
 * is no pattern for all languages at once: "any language" is each language in
 * table order (see matchAny), which gives the same match as one alternation
 * of them all, and compiles only the languages a message can match.
 */
export class Compiled {
  readonly lang: string;
  private readonly sources = new Map<PhraseKey, string>();
  private readonly patterns = new Map<string, RegExp>();

  // The sources too are built when a pattern is first asked for: building all of them was ~3% of
  // explaining one bounce (`ndr explain file.eml`), and a message asks for a few.
  constructor(private readonly language: ExchangeLanguage) {
    this.lang = language.lang;
  }

  private source(key: PhraseKey): string {
    let source = this.sources.get(key);
    if (source === undefined) {
      const alts = this.language[key].map((p) =>
        p
          .split(/\{rcpt\}|\{host\}/)
          .map(phrasePattern)
          // Bounded: an unbounded lazy class here would make the search quadratic on hostile text.
          .join(String.raw`\s*<?(?:mailto:)?([^\s<>@]{1,128}@[^\s<>]{1,255}?|[^\s<>]{1,255}?)>?\s*`),
      );
      this.sources.set(key, (source = `(?:${alts.join('|')})`));
    }
    return source;
  }

  pattern(key: PhraseKey, shape: Shape = 'line'): RegExp {
    const id = `${shape} ${key}`;
    let re = this.patterns.get(id);
    if (!re) this.patterns.set(id, (re = new RegExp(SHAPES[shape](this.source(key)), 'iu')));
    return re;
  }
}

export const COMPILED = EXCHANGE_LANGUAGES.map((l) => new Compiled(l));

export const KEYS = Object.keys(EXCHANGE_LANGUAGES[0]!).filter((k): k is PhraseKey => k !== 'lang' && k !== 'parties');

/**
 * A cheap prefilter, so that the phrase patterns run only on lines that can
 * match. A line that matches a phrase holds every word of the phrase, as a
 * substring under the patterns' own case-insensitive matching (flags iu). On
 * lower-cased text, with the long s (U+017F) folded to "s", that is a plain
 * substring test: for the letters of the phrase table, lower-casing and the
 * simple case folding of the "iu" flags agree (test/bounce/exchange-patterns.test.ts
 * checks every code point). So a line is a candidate for a phrase when it
 * contains all of the phrase's words; the results are the same as running
 * every pattern over every line, for a fraction of the cost: most messages
 * are not Exchange NDRs, and their lines hold few of the words.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return lower.includes('\u017f') ? lower.replace(/\u017f/g, 's') : lower;
}

export interface PhraseFilter {
  /** The phrase's words, folded, longest first: the first is looked for in the whole text, the others in its lines. */
  words: string[];
  /** Index in ALL_FILTERS. */
  id: number;
}

/** The words of a phrase: its runs of letters, placeholders left out. */
export function phraseWords(phrase: string): string[] {
  return foldCase(phrase.replace(/\{rcpt\}|\{host\}/g, ' '))
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
}

/** Every phrase of every language, in the order FILTERS is built: key, then language, then phrase. */
function allPhrases(): string[] {
  return KEYS.flatMap((key) => EXCHANGE_LANGUAGES.flatMap((l) => l[key]));
}

/** Each phrase's words, in allPhrases' order: what the build writes into exchange-words.js. */
export function phraseWordRows(): string[][] {
  return allPhrases().map(phraseWords);
}

const PRECOMPUTED = PRECOMPUTED_PHRASE_WORDS_JSON ? (JSON.parse(PRECOMPUTED_PHRASE_WORDS_JSON) as string[][]) : [];

/**
 * The build's words for `phrase` (`row`), when each of them is in the phrase:
 * words a phrase has are all the filter needs to be sound (a line that
 * matches the phrase has every word of it), so a row from another version of
 * the table is used only where it still holds; else the words are computed.
 */
export function wordsFrom(row: string[] | undefined, phrase: string): string[] {
  if (row?.length) {
    const folded = foldCase(phrase);
    if (row.every((w) => folded.includes(w))) return row;
  }
  return phraseWords(phrase);
}

const ALL_FILTERS: PhraseFilter[] = [];

/** Key -> per language (index in COMPILED) its phrases' filters. */
export const FILTERS = new Map<PhraseKey, PhraseFilter[][]>();

for (const key of KEYS) {
  FILTERS.set(
    key,
    EXCHANGE_LANGUAGES.map((l) =>
      l[key].map((p) => {
        const f = { words: wordsFrom(PRECOMPUTED[ALL_FILTERS.length], p), id: ALL_FILTERS.length };
        ALL_FILTERS.push(f);
        return f;
      }),
    ),
  );
}
