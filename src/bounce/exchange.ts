/**
 * Exchange's human-readable NDR, both layouts, any language of the table in
 * exchange-phrases.ts (reference/ndr-codes.md §3c).
 */
import { EXCHANGE_LANGUAGES, type ExchangeLanguage } from './exchange-phrases.js';
import { clipDiagnostic, LIMITS } from './limits.js';
import { ADDRESS, AddressPattern, BARE_ADDRESS, cleanAddress, escapeRegExp, foldSpace, phrasePattern, type AddressForms } from './text-util.js';
import type { BounceRecipient, ExchangeDetails, ExchangeHop, FixOwner } from './types.js';
import { makeRecipient } from './types.js';

export interface ExchangeNdr {
  layout: 'exchange-new' | 'exchange-legacy';
  language: string;
  generatingServer: string | null;
  delay: boolean;
  recipients: BounceRecipient[];
  /** Recipients the report lists (the larger of its two sections), also those past LIMITS.maxRecipients. */
  recipientsFound: number;
  details: ExchangeDetails;
  /** Where the quoted original headers start in the text, if they do. */
  originalHeadersAt: number | null;
}

type PhraseKey = Exclude<keyof ExchangeLanguage, 'lang' | 'parties'>;

/** The ways a phrase pattern is used: anywhere in a line, a heading alone on its line, "Label: value", a line that starts with it. */
type Shape = 'line' | 'heading' | 'labelled' | 'start';

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
class Compiled {
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

const COMPILED = EXCHANGE_LANGUAGES.map((l) => new Compiled(l));
const KEYS = Object.keys(EXCHANGE_LANGUAGES[0]!).filter((k): k is PhraseKey => k !== 'lang' && k !== 'parties');

/** Exchange writes short lines; longer ones are skipped, so no pattern runs over hostile megabyte lines. */
const MAX_LINE = 4000;

/**
 * A cheap prefilter, so that the phrase patterns run only on lines that can
 * match. A line that matches a phrase holds every word of the phrase, as a
 * substring under the patterns' own case-insensitive matching (flags iu). On
 * lower-cased text, with the long s (U+017F) folded to "s", that is a plain
 * substring test: for the letters of the phrase table, lower-casing and the
 * simple case folding of the "iu" flags agree (test/bounce/exchange.test.ts
 * checks every code point). So a line is a candidate for a phrase when it
 * contains all of the phrase's words; the results are the same as running
 * every pattern over every line, for a fraction of the cost: most messages
 * are not Exchange NDRs, and their lines hold few of the words.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return lower.includes('\u017f') ? lower.replace(/\u017f/g, 's') : lower;
}

interface PhraseFilter {
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

const ALL_FILTERS: PhraseFilter[] = [];
/** Key -> per language (index in COMPILED) its phrases' filters. */
const FILTERS = new Map<PhraseKey, PhraseFilter[][]>();
for (const key of KEYS) {
  FILTERS.set(
    key,
    EXCHANGE_LANGUAGES.map((l) =>
      l[key].map((p) => {
        const f = { words: phraseWords(p), id: ALL_FILTERS.length };
        ALL_FILTERS.push(f);
        return f;
      }),
    ),
  );
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
    const words = [...new Set(keys.flatMap((k) => FILTERS.get(k)!.flat().map((f) => f.words[0] ?? '')))]
      .filter((w) => w && !except?.words.has(w))
      .sort((a, b) => b.length - a.length);
    this.words = new Set(words);
    // Case-sensitive: it runs on folded text.
    this.re = new RegExp(words.map(escapeRegExp).join('|'), 'g');
    this.prefixes = new Map(words.map((w) => [w, words.filter((p) => p !== w && w.startsWith(p))]));
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
const SIGNATURE_KEYS: PhraseKey[] = ['failedTo', 'delayedTo', 'adminHeading', 'generatingServer', 'originalHeaders', 'headline', 'delayHeadline', 'rejectedBy', 'howToFix', 'moreInfo', 'errorDetails', 'reportedError', 'dsnGeneratedBy', 'messageHops', 'originalDetails'];
/** The signature's lead words are looked for in every message; the other keys' only in Exchange NDRs. */
const SIGNATURE_SCAN = new LeadScan(SIGNATURE_KEYS);
let otherScan: LeadScan | null = null;

/** The lines of one message, folded once, and which of them can hold which phrases (cached). */
class Lines {
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
      COMPILED.some((c, li) => FILTERS.get(key)![li]!.some((f) => f.words.every((w) => line.includes(w))) && c.pattern(key, 'start').test(this.all[i]!)),
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
function detectLanguage(lines: Lines): { lang: string; hits: number } {
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
function matchAny(lines: Lines, key: PhraseKey, shape: Shape, i: number, anyMatch = false): RegExpExecArray | null {
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
function findLine(lines: Lines, key: PhraseKey, shape: Shape, from = 0, to = lines.all.length, only?: number): number {
  for (const i of lines.forKey(key, only)) {
    if (i >= to) break;
    if (i < from) continue;
    if (only !== undefined ? COMPILED[only]!.pattern(key, shape).test(lines.all[i]!) : matchAny(lines, key, shape, i, true)) return i;
  }
  return -1;
}

/** "Label: value" on one line, or the label alone and the value on the next non-empty line. */
function labelValue(lines: Lines, key: PhraseKey, from = 0, to = lines.all.length): { value: string; line: number } | null {
  const all = lines.all;
  for (const i of lines.forKey(key)) {
    if (i >= to) break;
    if (i < from) continue;
    const m = matchAny(lines, key, 'labelled', i);
    if (!m) continue;
    const rest = (m.slice(1).reverse().find((g) => g !== undefined) ?? '').trim();
    if (rest) return { value: rest, line: i };
    for (let j = i + 1; j < Math.min(to, i + 4); j++) if (all[j]!.trim()) return { value: all[j]!.trim(), line: j };
    return null;
  }
  return null;
}

function paragraph(lines: string[], from: number, to: number): string | null {
  const text = foldSpace(lines.slice(Math.max(0, from), Math.max(from, to)).join('\n'));
  return text ? clipDiagnostic(text) : null;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z0-9-]{2,63}\.?$/;

// "Display Name (user@example.com)" or "Display Name <user@example.com>"
// ... or "Display Name [SMTP:user@example.com]" (Exchange 2000/2003).
const NAMED_ADDRESS = new AddressPattern((address) => `^[^@:;'"]{0,80}(?:[(<]|\\[(?:[sS][mM][tT][pP]:)?)(${address})[)>\\]]\\s*(?:<mailto:[^>]*>)?\\s*$`, 'u');

// Exchange 5.5/2000/2003 list each failed recipient as "<recipient> on <date>".
const ON_DATE = /\s+on\s+(?:mon|tue|wed|thu|fri|sat|sun|\d)/i;
// ... and the recipient as its proxy: "SMTP:user@example.com", or an X.400 address that carries
// it ("c=US;a= ;p=Org;o=Site;dda:SMTP=user@example.com;").
const PROXY_PREFIX = /^(?:[^@\n]{0,300}?;\s*)?(?:dda:)?(?:smtp|rfc-?822)\s*[:=]\s*/i;

/**
 * A line that names only an address ("user@example.com", "Name (user@example.com)",
 * "user@example.com<mailto:...>", "user@example.com on <date>", "SMTP:user@example.com on <date>",
 * "c=US;...;dda:SMTP=user@example.com; on <date>").
 */
function addressLine(line: string, forms: AddressForms): string | null {
  let t = line.trim();
  if (!t || t.length > 400) return null;
  if (t.includes('@')) {
    const on = ON_DATE.exec(t);
    if (on && on.index > 0) t = t.slice(0, on.index);
    t = t.replace(PROXY_PREFIX, '');
  }
  const first = t.split(/\s+|<mailto:/)[0]!;
  const firstClean = cleanAddress(first);
  if (BARE_ADDRESS.for(firstClean, forms).test(firstClean)) return firstClean;
  const m = NAMED_ADDRESS.for(t, forms).exec(t);
  return m ? m[1]! : null;
}

interface Reply {
  text: string;
  remoteMta: string | null;
}

// '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##'
const HASH_REPLY = /#\s*((?:[245]\d\d|<[^>]{0,300}>)[^#]{0,600}?)\s*##/g;
// 'mail.contoso.com #<exchange.contoso.com #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#'
const SMTP_WRAPPED = /(?:^|\s)(\S+)?\s*#<([^>]{0,800})>\s*#SMTP#/g;
const QUOTED = /['\u2018\u201a]((?:[^'\u2019\n]|\n(?!\n)){3,1500})['\u2019]/g;
const CODE_IN = /(?:^|\D)[245]\d\d(?:\D|$)|[245]\.\d{1,3}\.\d{1,3}/;

/** The SMTP replies a legacy admin block quotes, newest first as Exchange lists them. */
function repliesIn(block: string, lang: Compiled): Reply[] {
  const replies: Reply[] = [];
  const atHost = /\b(?:at|på|unter|ved)\s+([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)/i;
  for (const m of block.matchAll(SMTP_WRAPPED)) {
    const inner = m[2]!;
    const smtp = /smtp;\s*(.*)$/is.exec(inner);
    replies.push({ text: foldSpace(smtp ? smtp[1]! : inner), remoteMta: m[1] && HOST.test(m[1]) ? m[1] : null });
  }
  if (!replies.length) {
    for (const m of block.matchAll(QUOTED)) {
      if (!CODE_IN.test(m[1]!)) continue;
      const before = block.slice(Math.max(0, m.index! - 200), m.index!);
      const lineStart = before.lastIndexOf('\n\n');
      const lead = before.slice(lineStart + 1);
      const host = /returned|returnerte|returnerede|returnerade|zurückgegeben|hat/i.test(lead) || lang.pattern('remoteServer').test(lead) ? atHost.exec(lead)?.[1] ?? null : null;
      replies.push({ text: foldSpace(m[1]!), remoteMta: host });
    }
  }
  if (!replies.length) for (const m of block.matchAll(HASH_REPLY)) replies.push({ text: foldSpace(m[1]!.replace(/^<|>$/g, '')), remoteMta: null });
  return replies;
}

function parseHops(lines: string[], from: number, to: number): ExchangeHop[] {
  const hops: ExchangeHop[] = [];
  for (let i = from; i < to && hops.length < LIMITS.maxHops; i++) {
    const cells = lines[i]!.trim().split(/\t+|\s{2,}/).map((c) => c.trim()).filter(Boolean);
    if (cells.length < 3 || !/^\d{1,3}$/.test(cells[0]!)) continue;
    hops.push({
      hop: Number(cells[0]),
      time: cells[1] ?? null,
      from: cells[2] ?? null,
      to: cells[3] ?? null,
      with: cells[4] ?? null,
      relayTime: cells[5] ?? null,
    });
  }
  return hops;
}

/** The parties of the "Action Required" row, each word as a pattern (built once). */
const PARTIES: { owner: FixOwner; re: RegExp }[] = (['sender', 'service', 'recipient'] as const).flatMap((owner) =>
  EXCHANGE_LANGUAGES.flatMap((l) => l.parties[owner]).map((w) => ({ owner, re: new RegExp(`(?:^|\\s)${escapeRegExp(w)}(?:\\s|$)`, 'iu') })),
);

function fixOwner(scan: Lines, actionLine: number): FixOwner | null {
  const lines = scan.all;
  const find = (line: string) => PARTIES.map((p) => ({ owner: p.owner, at: line.search(p.re) })).filter((x) => x.at >= 0);
  const line = lines[actionLine]!;
  const action = matchAny(scan, 'actionRequired', 'line', actionLine);
  const actionAt = action ? action.index : -1;
  const withoutAction = action ? line.slice(0, action.index) + ' '.repeat(action[0].length) + line.slice(action.index + action[0].length) : line;
  const same = find(withoutAction);
  if (same.length === 1) return same[0]!.owner;
  // A text table: the party whose column is nearest to "Action Required".
  for (const j of [actionLine - 1, actionLine + 1, actionLine - 2]) {
    const other = lines[j];
    if (other === undefined) continue;
    const hits = find(other);
    if (hits.length === 1 && j > actionLine) return hits[0]!.owner;
    if (hits.length > 1) {
      hits.sort((a, b) => Math.abs(a.at - actionAt) - Math.abs(b.at - actionAt));
      return hits[0]!.owner;
    }
  }
  return same[0]?.owner ?? null;
}


/** Reads an Exchange NDR from the human-readable text; null when the text is not one. */
const clipOrNull = (text: string | undefined): string | null => (text ? clipDiagnostic(text) : null);

export function parseExchangeText(input: string, forms: AddressForms = 'fit'): ExchangeNdr | null {
  const text = input.slice(0, LIMITS.maxScanChars);
  const scan = new Lines(text);
  const lines = scan.all;
  const { lang, hits } = detectLanguage(scan);
  if (hits === 0) return null;
  const c = COMPILED.find((x) => x.lang === lang)!;

  let end = findLine(scan, 'originalHeaders', 'heading');
  const originalHeadersAt = end >= 0 ? lines.slice(0, end).join('\n').length + 1 : null;
  if (end < 0) end = lines.length;

  const admin = findLine(scan, 'adminHeading', 'line', 0, end);
  const failedAt = findLine(scan, 'failedTo', 'line', 0, end);
  const delayedAt = findLine(scan, 'delayedTo', 'line', 0, end);
  const headlineAt = findLine(scan, 'headline', 'line', 0, end);
  const delayHeadlineAt = findLine(scan, 'delayHeadline', 'line', 0, end);
  const rejectedAt = findLine(scan, 'rejectedBy', 'line', 0, end);
  const howToFixAt = findLine(scan, 'howToFix', 'heading', 0, end);
  const moreInfoAt = findLine(scan, 'moreInfo', 'heading', 0, end);
  const errorDetailsAt = findLine(scan, 'errorDetails', 'heading', 0, end);
  const hopsAt = findLine(scan, 'messageHops', 'heading', 0, end);
  const originalDetailsAt = findLine(scan, 'originalDetails', 'heading', 0, end);
  const isNew = headlineAt >= 0 || delayHeadlineAt >= 0 || (howToFixAt >= 0 && moreInfoAt >= 0) || errorDetailsAt >= 0;
  if (!isNew && admin < 0 && failedAt < 0 && delayedAt < 0) return null;

  const details: ExchangeDetails = { cause: null, fixOwner: null, howToFix: null, adminInfo: null, statusCode: null, hops: [] };
  const sectionStarts = [howToFixAt, moreInfoAt, errorDetailsAt, hopsAt, originalDetailsAt, admin, end].filter((i) => i >= 0);
  const nextSection = (from: number) => Math.min(...sectionStarts.filter((i) => i > from), end);

  let generatingServer: string | null = null;
  const recipients: BounceRecipient[] = [];
  let recipientsFound = 0;
  let delay = delayedAt >= 0 || delayHeadlineAt >= 0;

  // Newer layout.
  let newRecipient: BounceRecipient | null = null;
  if (isNew) {
    const top = headlineAt >= 0 ? headlineAt : delayHeadlineAt;
    const actionAt = findLine(scan, 'actionRequired', 'line', Math.max(0, top), howToFixAt >= 0 ? howToFixAt : end);
    if (top >= 0) {
      const stop = Math.min(...[actionAt, howToFixAt, moreInfoAt, nextSection(top)].filter((i) => i > top));
      details.cause = paragraph(lines, top + 1, actionAt > top ? Math.min(stop, actionAt - 1) : stop);
    }
    if (actionAt >= 0) details.fixOwner = fixOwner(scan, actionAt);
    if (howToFixAt >= 0) details.howToFix = paragraph(lines, howToFixAt + 1, nextSection(howToFixAt));
    if (moreInfoAt >= 0) details.adminInfo = paragraph(lines, moreInfoAt + 1, nextSection(moreInfoAt));
    if (hopsAt >= 0) details.hops = parseHops(lines, hopsAt + 1, nextSection(hopsAt));
    details.statusCode = labelValue(scan, 'statusCode', 0, end)?.value ?? null;
    const reported = labelValue(scan, 'reportedError', 0, end);
    const generatedBy = labelValue(scan, 'dsnGeneratedBy', 0, end);
    const remote = labelValue(scan, 'remoteServerLabel', errorDetailsAt >= 0 ? errorDetailsAt : 0, end);
    const rcptLabel = labelValue(scan, 'recipientAddress', 0, end);
    generatingServer = generatedBy?.value.split(/\s+/)[0] ?? null;
    const headline = top >= 0 ? matchAny(scan, headlineAt >= 0 ? 'headline' : 'delayHeadline', 'line', top) : null;
    const fromHeadline = headline?.slice(1).find((g) => g && ADDRESS.for(g, forms).test(g));
    const rcpt = fromHeadline ? cleanAddress(fromHeadline) : rcptLabel ? (ADDRESS.for(rcptLabel.value, forms).exec(rcptLabel.value)?.[0] ?? null) : null;
    const diagnostic = reported?.value ?? details.statusCode;
    if (rcpt || diagnostic) {
      newRecipient = makeRecipient('exchange', {
        recipient: rcpt,
        diagnostic: diagnostic ? clipDiagnostic(diagnostic) : null,
        remoteMta: remote && HOST.test(remote.value.split(/\s+/)[0]!) ? remote.value.split(/\s+/)[0]! : null,
        action: delayHeadlineAt >= 0 && headlineAt < 0 ? 'delayed' : null,
      });
    }
  }

  // "mx.fabrikam.example rejected your message to the following email addresses:"
  let rejectingHost: string | null = null;
  if (rejectedAt >= 0) {
    const m = matchAny(scan, 'rejectedBy', 'line', rejectedAt);
    const host = m?.slice(1).find((g) => g);
    if (host && HOST.test(host)) rejectingHost = host.replace(/\.$/, '');
  }

  // Legacy layout: the admin section.
  if (admin >= 0) {
    const adminEnd = end;
    const gen = labelValue(scan, 'generatingServer', admin, adminEnd);
    const recv = labelValue(scan, 'receivingServer', admin, adminEnd);
    if (gen) generatingServer ??= gen.value.split(/\s+/)[0]!;
    const skip = new Set([gen?.line, recv?.line].filter((x): x is number => x !== undefined));
    let current: { address: string; lines: string[] } | null = null;
    const blocks: { address: string; lines: string[] }[] = [];
    for (let i = admin + 1; i < adminEnd; i++) {
      if (skip.has(i) || scan.startsWithLabel(i)) continue;
      const address = addressLine(lines[i]!, forms);
      if (address && !/[#']/.test(lines[i]!)) {
        current = { address, lines: [] };
        blocks.push(current);
        continue;
      }
      current?.lines.push(lines[i]!);
    }
    recipientsFound = Math.max(recipientsFound, blocks.length);
    for (const b of blocks.slice(0, LIMITS.maxRecipients)) {
      const body = b.lines.join('\n');
      const replies = repliesIn(body, c);
      const hostLine = b.lines.map((l) => l.trim()).find((l) => HOST.test(l));
      recipients.push(
        makeRecipient('exchange', {
          recipient: b.address,
          diagnostic: clipDiagnostic(replies.length ? [...new Set(replies.map((r) => r.text))].join(' | ') : foldSpace(body)) || null,
          remoteMta: replies.find((r) => r.remoteMta)?.remoteMta ?? hostLine?.replace(/\.$/, '') ?? rejectingHost,
        }),
      );
    }
  }

  // The user section: recipients and their plain-language reason.
  const userAt = failedAt >= 0 ? failedAt : delayedAt >= 0 ? delayedAt : rejectedAt;
  if (userAt >= 0) {
    const stop = admin > userAt ? admin : nextSection(userAt);
    const users: { address: string; reason: string[] }[] = [];
    // "Did not reach the following recipient: user@example.com": the address on the heading's own line.
    const heading = userAt !== rejectedAt ? matchAny(scan, failedAt >= 0 ? 'failedTo' : 'delayedTo', 'line', userAt) : null;
    const sameLine = heading ? addressLine(lines[userAt]!.slice(heading.index + heading[0].length).replace(/^(?:\(s\)|s)?[\s:]+/, ''), forms) : null;
    if (sameLine) users.push({ address: sameLine, reason: [] });
    for (let i = userAt + 1; i < stop; i++) {
      const address = addressLine(lines[i]!, forms);
      if (address) users.push({ address, reason: [] });
      else if (users.length && lines[i]!.trim()) users[users.length - 1]!.reason.push(lines[i]!);
    }
    // The user section's plain-language reason is the classic layout's "cause". Recipients
    // shown by display name only (IMCEAEX, groups) leave a name line before the reason.
    details.cause ??= clipOrNull(users.map((u) => foldSpace(u.reason.join(' '))).find(Boolean));
    if (!users.length) {
      const body = lines.slice(userAt + 1, stop).map((l) => l.trim()).filter(Boolean);
      if (body.length > 1 && body[0]!.length < 80 && !/[.!?]$/.test(body[0]!)) body.shift();
      details.cause ??= clipDiagnostic(foldSpace(body.join(' '))) || null;
    }
    recipientsFound = Math.max(recipientsFound, users.length);
    for (const u of users.slice(0, LIMITS.maxRecipients)) {
      const known = recipients.find((r) => r.recipient?.toLowerCase() === u.address.toLowerCase());
      const reason = clipDiagnostic(foldSpace(u.reason.join(' '))) || null;
      if (known) {
        if (!known.diagnostic) known.diagnostic = reason;
      } else if (admin < 0 || !recipients.length) {
        recipients.push(makeRecipient('exchange', { recipient: u.address, diagnostic: reason, remoteMta: rejectingHost }));
      }
    }
  }

  if (newRecipient) {
    const same = recipients.find((r) => !newRecipient!.recipient || r.recipient?.toLowerCase() === newRecipient!.recipient.toLowerCase());
    if (same) {
      same.remoteMta ??= newRecipient.remoteMta;
      if (newRecipient.diagnostic && !/[245]\.\d+\.\d+/.test(same.diagnostic ?? '')) same.diagnostic = newRecipient.diagnostic;
    } else {
      recipients.unshift(newRecipient);
    }
  }
  if (delay) for (const r of recipients) r.action ??= 'delayed';
  delay = delay && failedAt < 0 && headlineAt < 0;

  return {
    layout: isNew ? 'exchange-new' : 'exchange-legacy',
    language: lang,
    generatingServer: generatingServer?.replace(/\.$/, '') ?? null,
    delay,
    recipients,
    recipientsFound,
    details,
    originalHeadersAt,
  };
}
