import type { KbEntry, KnowledgeBase, Registry } from './types.js';

/**
 * The knowledge base compiled at build time (scripts/build-kb.mjs), so `ndr
 * explain 5.7.1` starts without parsing YAML: the YAML was validated when it
 * was compiled. It comes in two parts:
 *
 * - the index (dist/knowledge.json), parsed on every start: what matching
 *   reads (id, codes, patterns, fallback; match.ts), each entry's title (for
 *   `ndr codes`), the registry, and where each entry's details are;
 * - the details (dist/knowledge-details.jsonl), one JSON object per entry and
 *   line with its long texts (summary, solutions, sources, examples ...). An
 *   entry's line is parsed only when one of those fields is first read: a run
 *   shows two or three of 150 entries, and parsing all of them cost more than
 *   the rest of `ndr explain 5.7.1`.
 *
 * Patterns travel as their sources and are compiled again here.
 */
export const COMPILED_VERSION = 3;

/** Read on every start: matching and the `ndr codes` listing. */
const HEAD_KEYS = ['id', 'reason', 'codes', 'patterns', 'fallback', 'title'] as const;
/** Read only from entries that are shown; in KbEntry's key order, so entries serialise alike. */
const DETAIL_KEYS = [
  'summary',
  'causes',
  'owner',
  'solutions',
  'checks',
  'checkDomain',
  'history',
  'see',
  'sources',
  'examples',
  'file',
  'line',
] as const;

type HeadKey = (typeof HEAD_KEYS)[number];
type DetailKey = (typeof DETAIL_KEYS)[number];
// Fails to type-check when a KbEntry field is in neither list (a new field must be placed).
const _everyFieldPlaced: Record<Exclude<keyof KbEntry, HeadKey | DetailKey>, never> = {};

type EntryDetails = Pick<KbEntry, DetailKey>;

export interface CompiledIndexEntry extends Omit<Pick<KbEntry, HeadKey>, 'patterns'> {
  patterns: string[];
  /** Byte offsets [start, end) of the entry's details in the details file. */
  details: [number, number];
}

export interface CompiledIndex {
  version: number;
  /** Size of the details file this index was written with, to catch a mismatched pair. */
  detailsBytes: number;
  entries: CompiledIndexEntry[];
  registry: {
    classes: [number, { name: string; meaning: string }][];
    subjects: [number, { name: string; meaning: string }][];
    details: [string, Registry['details'] extends Map<string, infer V> ? V : never][];
    replyCodes: [string, { meaning: string }][];
    sources: string[];
  };
}

/**
 * Where entries' details are read from: the details file, a range at a time
 * (bundled.ts), or its bytes in memory (detailsInMemory).
 */
export interface DetailsSource {
  /** Size in bytes, checked against the index. */
  bytes: number;
  /** The UTF-8 text of bytes [start, end). */
  read(start: number, end: number): string;
}

export function detailsInMemory(details: Buffer | string): DetailsSource {
  const buf = typeof details === 'string' ? Buffer.from(details) : details;
  return { bytes: buf.length, read: (start, end) => buf.toString('utf8', start, end) };
}

export interface CompiledKb {
  index: CompiledIndex;
  /** The details file: one JSON object per entry, one per line, UTF-8. */
  details: string;
}

export function compileKb(kb: KnowledgeBase): CompiledKb {
  const lines: string[] = [];
  let offset = 0;
  const entries = kb.entries.map((e): CompiledIndexEntry => {
    const line = JSON.stringify(Object.fromEntries(DETAIL_KEYS.map((k) => [k, e[k]])));
    const start = offset;
    offset += Buffer.byteLength(line) + 1; // and the newline
    lines.push(line);
    return {
      id: e.id,
      reason: e.reason,
      codes: e.codes,
      patterns: e.patterns.map((p) => p.source),
      fallback: e.fallback,
      title: e.title,
      details: [start, start + Buffer.byteLength(line)],
    };
  });
  const details = lines.map((l) => `${l}\n`).join('');
  return {
    index: {
      version: COMPILED_VERSION,
      detailsBytes: Buffer.byteLength(details),
      entries,
      registry: {
        classes: [...kb.registry.classes],
        subjects: [...kb.registry.subjects],
        details: [...kb.registry.details],
        replyCodes: [...kb.registry.replyCodes],
        sources: kb.registry.sources,
      },
    },
    details,
  };
}

/** Replaces an accessor with the plain value, in the same place among the entry's keys. */
function settle(entry: object, key: string, value: unknown): void {
  Object.defineProperty(entry, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A bundled entry as the index gives it. The head keys are own values; the
 * patterns and the details are accessors on the prototype, shared by every
 * entry: the patterns are compiled when first read (creating all 300 regular
 * expressions took ~4 ms of each start), and the first read of any detail
 * parses all of that entry's details, which then become own values. Defining
 * the accessors on each entry took ~3 ms of each start (`ndr explain 5.7.1`).
 * Read its fields by name (or serialise it: toJSON gives every key); a spread
 * copies own values only, so it lacks the details until one has been read.
 */
class LazyEntry {
  readonly id: string;
  readonly reason: KbEntry['reason'];
  readonly codes: KbEntry['codes'];
  readonly fallback: KbEntry['fallback'];
  readonly title: string;
  /** The pattern sources until the patterns are compiled. */
  #sources: string[] | null;
  readonly #details: DetailsSource;
  readonly #range: [number, number];

  constructor(c: CompiledIndexEntry, details: DetailsSource) {
    this.id = c.id;
    this.reason = c.reason;
    this.codes = c.codes;
    this.fallback = c.fallback;
    this.title = c.title;
    this.#sources = c.patterns;
    this.#details = details;
    this.#range = c.details;
  }

  get patterns(): RegExp[] {
    const patterns = (this.#sources ?? []).map((p) => new RegExp(p, 'i'));
    this.#sources = null;
    settle(this, 'patterns', patterns);
    return patterns;
  }

  set patterns(value: RegExp[]) {
    this.#sources = null;
    settle(this, 'patterns', value);
  }

  /** Serialised like an entry loaded from YAML: every key, in KbEntry's order. */
  toJSON(): Record<string, unknown> {
    const self = this as unknown as Record<string, unknown>;
    return Object.fromEntries(ENTRY_KEYS.map((k) => [k, self[k]]));
  }

  /** Parses the details and makes each one an own value. */
  settleDetails(): void {
    const values = JSON.parse(this.#details.read(...this.#range)) as EntryDetails;
    for (const key of DETAIL_KEYS) settle(this, key, values[key]);
  }
}

for (const key of DETAIL_KEYS) {
  Object.defineProperty(LazyEntry.prototype, key, {
    configurable: true,
    get(this: LazyEntry) {
      this.settleDetails();
      return (this as unknown as Record<string, unknown>)[key];
    },
    set(this: LazyEntry, value: unknown) {
      this.settleDetails();
      (this as unknown as Record<string, unknown>)[key] = value;
    },
  });
}

/** KbEntry's keys in the order the YAML loader gives them. */
const ENTRY_KEYS = [...HEAD_KEYS, ...DETAIL_KEYS] as const;

function lazyEntry(c: CompiledIndexEntry, details: DetailsSource): KbEntry {
  return new LazyEntry(c, details) as unknown as KbEntry;
}

/** The knowledge base from its index and details file; an entry's details are parsed when first read. */
export function decompileKb(c: CompiledIndex, details: DetailsSource): KnowledgeBase {
  if (c.version !== COMPILED_VERSION) throw new Error(`compiled knowledge base version ${c.version}, expected ${COMPILED_VERSION}`);
  if (details.bytes !== c.detailsBytes)
    throw new Error(`compiled knowledge base details are ${details.bytes} bytes, expected ${c.detailsBytes}`);
  const entries = c.entries.map((e) => lazyEntry(e, details));
  return {
    entries,
    byId: new Map(entries.map((e) => [e.id, e])),
    registry: {
      classes: new Map(c.registry.classes),
      subjects: new Map(c.registry.subjects),
      details: new Map(c.registry.details),
      replyCodes: new Map(c.registry.replyCodes),
      sources: c.registry.sources,
    },
  };
}
