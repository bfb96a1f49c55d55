/**
 * The lines of one message and which of them can hold which Exchange phrases:
 * a one-pass scan for each phrase's lead word, then the phrase patterns only
 * on the candidate lines (see foldCase in exchange-patterns.ts for why the
 * results are the same as running every pattern over every line).
 */
import { COMPILED, FILTERS, foldCase, KEYS, type PhraseFilter, type PhraseKey, type Shape } from './exchange-patterns.js';
import { escapeRegExp } from './text-util.js';

/** Exchange writes short lines; longer ones are skipped, so no pattern runs over hostile megabyte lines. */
const MAX_LINE = 4000;

/** The words of `words`, other than `word`, that `word` starts with. */
export function prefixesIn(word: string, words: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (let n = 1; n < word.length; n++) {
    const prefix = word.slice(0, n);
    if (words.has(prefix)) found.push(prefix);
  }
  return found;
}

/**
 * Finds where the lead words (each phrase's longest) occur, in one pass over
 * the folded text. Longest first, so that at any offset the scan reports the
 * longest word found there; the words it starts with are found there too.
 */
class LeadScan {
  readonly words: Set<string>;
  private readonly re: RegExp;
  private readonly prefixes: Map<string, string[]>;

  constructor(keys: PhraseKey[], except?: LeadScan) {
    const words = [
      ...new Set(
        keys.flatMap((k) =>
          FILTERS.get(k)!
            .flat()
            .map((f) => f.words[0] ?? ''),
        ),
      ),
    ]
      .filter((w) => w && !except?.words.has(w))
      .sort((a, b) => b.length - a.length);
    this.words = new Set(words);
    // Case-sensitive: it runs on folded text.
    this.re = new RegExp(words.map(escapeRegExp).join('|'), 'g');
    // Each word's shorter words it starts with, by its prefixes: one lookup per prefix length, not a
    // comparison with every other word (~400 words when all keys are scanned: 160,000 startsWith).
    this.prefixes = new Map(words.map((w) => [w, prefixesIn(w, this.words)]));
  }

  /** Adds the lines each word occurs in (ascending) to `out`. */
  run(folded: string, out: Map<string, number[]>): void {
    const re = this.re;
    let line = 0;
    let lineEnd = folded.indexOf('\n');
    re.lastIndex = 0;
    // Resuming one character on finds words that overlap.
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      while (lineEnd >= 0 && lineEnd < m.index) {
        line++;
        lineEnd = folded.indexOf('\n', lineEnd + 1);
      }
      for (const w of [m[0], ...this.prefixes.get(m[0])!]) {
        const list = out.get(w);
        if (!list) out.set(w, [line]);
        else if (list[list.length - 1] !== line) list.push(line);
      }
      re.lastIndex = m.index + 1;
    }
  }
}

/** Phrases that only Exchange NDRs carry; the language with most hits wins. */
const SIGNATURE_KEYS: PhraseKey[] = [
  'failedTo',
  'delayedTo',
  'adminHeading',
  'generatingServer',
  'originalHeaders',
  'headline',
  'delayHeadline',
  'rejectedBy',
  'howToFix',
  'moreInfo',
  'errorDetails',
  'reportedError',
  'dsnGeneratedBy',
  'messageHops',
  'originalDetails',
];

/** The signature's lead words are looked for in every message; the other keys' only in Exchange NDRs. */
const SIGNATURE_SCAN = new LeadScan(SIGNATURE_KEYS);

let otherScan: LeadScan | null = null;

/** The lines of one message, folded once, and which of them can hold which phrases (cached). */
export class Lines {
  readonly all: string[];
  private readonly text: string;
  private readonly folded: string[];
  /** Lead word -> the lines it occurs in, ascending. */
  private readonly leadLines = new Map<string, number[]>();
  private otherScanned = false;
  private readonly byPhrase: (number[] | undefined)[] = [];
  /** Key -> per language index (COMPILED.length: any language) the candidate lines. */
  private readonly byKey = new Map<PhraseKey, (number[] | undefined)[]>();

  constructor(text: string) {
    this.all = text.split('\n');
    this.text = foldCase(text);
    // Lower-casing neither adds nor removes line feeds: folded line i is line i.
    this.folded = this.text.split('\n');
    SIGNATURE_SCAN.run(this.text, this.leadLines);
  }

  /** True when no line holds the lead word of any signature phrase: no Exchange NDR. */
  get noSignature(): boolean {
    return this.leadLines.size === 0;
  }

  private linesOf(lead: string): number[] {
    if (!SIGNATURE_SCAN.words.has(lead) && !this.otherScanned) {
      this.otherScanned = true;
      (otherScan ??= new LeadScan(KEYS, SIGNATURE_SCAN)).run(this.text, this.leadLines);
    }
    return this.leadLines.get(lead) ?? [];
  }

  /** The signature lead words the text holds (before anything else is looked for). */
  signatureLeads(): IterableIterator<string> {
    return this.leadLines.keys();
  }

  /** Lines (short enough to scan) that hold every word of the phrase. */
  phraseLines(f: PhraseFilter): number[] {
    let list = this.byPhrase[f.id];
    if (!list) {
      const [lead, ...rest] = f.words;
      const candidates = lead === undefined ? this.all.map((_, i) => i) : this.linesOf(lead);
      list = candidates.filter((i) => this.all[i]!.length <= MAX_LINE && rest.every((w) => this.folded[i]!.includes(w)));
      this.byPhrase[f.id] = list;
    }
    return list;
  }

  /** Line i (of any length) starts with "Generating server" or "Receiving server", in any language. */
  startsWithLabel(i: number): boolean {
    const line = this.folded[i]!;
    return (['generatingServer', 'receivingServer'] as const).some((key) =>
      COMPILED.some(
        (c, li) => FILTERS.get(key)![li]!.some((f) => f.words.every((w) => line.includes(w))) && c.pattern(key, 'start').test(this.all[i]!),
      ),
    );
  }

  /** Indexes of the lines that may match `key`'s phrases (in the language of index `lang`, or in any), ascending. */
  forKey(key: PhraseKey, lang = COMPILED.length): number[] {
    let slots = this.byKey.get(key);
    if (!slots) this.byKey.set(key, (slots = []));
    let list = slots[lang];
    if (!list) {
      const found: number[][] = [];
      const filters = FILTERS.get(key)!;
      for (let li = 0; li < filters.length; li++) {
        if (lang !== COMPILED.length && li !== lang) continue;
        for (const f of filters[li]!) {
          const lines = this.phraseLines(f);
          if (lines.length) found.push(lines);
        }
      }
      list = found.length === 0 ? [] : found.length === 1 ? found[0]! : [...new Set(found.flat())].sort((a, b) => a - b);
      slots[lang] = list;
    }
    return list;
  }
}

/** The signature phrases by lead word: which language and key each belongs to. */
const SIGNATURE_BY_LEAD = new Map<string, { key: PhraseKey; lang: number; filter: PhraseFilter }[]>();

for (const key of SIGNATURE_KEYS) {
  FILTERS.get(key)!.forEach((filters, lang) => {
    for (const filter of filters) {
      const lead = filter.words[0] ?? '';
      const list = SIGNATURE_BY_LEAD.get(lead) ?? [];
      list.push({ key, lang, filter });
      SIGNATURE_BY_LEAD.set(lead, list);
    }
  });
}

/**
 * The language whose signature phrases the most keys match. Only the phrases
 * whose lead word the text holds are tried: the same count as trying every
 * language's pattern for every key on every line.
 */
export function detectLanguage(lines: Lines): { lang: string; hits: number } {
  let best = { lang: 'en', hits: 0 };
  if (lines.noSignature) return best;
  const matched = COMPILED.map(() => new Set<PhraseKey>());
  for (const lead of lines.signatureLeads()) {
    for (const { key, lang, filter } of SIGNATURE_BY_LEAD.get(lead) ?? []) {
      if (matched[lang]!.has(key)) continue;
      const re = COMPILED[lang]!.pattern(key);
      if (lines.phraseLines(filter).some((i) => re.test(lines.all[i]!))) matched[lang]!.add(key);
    }
  }
  COMPILED.forEach((c, lang) => {
    if (matched[lang]!.size > best.hits) best = { lang: c.lang, hits: matched[lang]!.size };
  });
  return best;
}

/**
 * The match of `key`'s phrases (in `shape`) in line i, in any language: the
 * leftmost, and at the same offset the first language of the table, as one
 * alternation of all languages' patterns would find it. Only the languages
 * whose phrase words the line holds are tried. With `anyMatch`, the first
 * language that matches at all (enough to know that one does).
 */
export function matchAny(lines: Lines, key: PhraseKey, shape: Shape, i: number, anyMatch = false): RegExpExecArray | null {
  let best: RegExpExecArray | null = null;
  for (let li = 0; li < COMPILED.length; li++) {
    if (!lines.forKey(key, li).includes(i)) continue;
    const m = COMPILED[li]!.pattern(key, shape).exec(lines.all[i]!);
    if (m && (!best || m.index < best.index)) {
      best = m;
      if (anyMatch || m.index === 0) break;
    }
  }
  return best;
}

/** The first line in [from, to) where `key`'s phrases match (in `shape`): in the language of index `only`, or in any. */
export function findLine(lines: Lines, key: PhraseKey, shape: Shape, from = 0, to = lines.all.length, only?: number): number {
  for (const i of lines.forKey(key, only)) {
    if (i >= to) break;
    if (i < from) continue;
    if (only !== undefined ? COMPILED[only]!.pattern(key, shape).test(lines.all[i]!) : matchAny(lines, key, shape, i, true)) return i;
  }
  return -1;
}

/** "Label: value" on one line, or the label alone and the value on the next non-empty line. */
export function labelValue(lines: Lines, key: PhraseKey, from = 0, to = lines.all.length): { value: string; line: number } | null {
  const all = lines.all;
  for (const i of lines.forKey(key)) {
    if (i >= to) break;
    if (i < from) continue;
    const m = matchAny(lines, key, 'labelled', i);
    if (!m) continue;
    const rest = (
      m
        .slice(1)
        .reverse()
        .find((g) => g !== undefined) ?? ''
    ).trim();
    if (rest) return { value: rest, line: i };
    for (let j = i + 1; j < Math.min(to, i + 4); j++) if (all[j]!.trim()) return { value: all[j]!.trim(), line: j };
    return null;
  }
  return null;
}
