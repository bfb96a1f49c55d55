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
  'summary', 'causes', 'owner', 'solutions', 'checks', 'checkDomain', 'history', 'see', 'sources', 'examples', 'file', 'line',
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
    return { id: e.id, reason: e.reason, codes: e.codes, patterns: e.patterns.map((p) => p.source), fallback: e.fallback, title: e.title, details: [start, start + Buffer.byteLength(line)] };
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

/** Entries whose details are not parsed yet, and how to parse them. */
const pending = new WeakMap<object, () => void>();

function detail(entry: KbEntry, key: DetailKey): unknown {
  const parse = pending.get(entry);
  if (!parse) throw new Error(`knowledge-base entry ${entry.id}: details missing`);
  parse(); // replaces these accessors with plain values
  return entry[key];
}

/** Shared by every lazy entry: the first read of any detail parses all of that entry's details. */
const LAZY_DETAILS: PropertyDescriptorMap = Object.fromEntries(
  DETAIL_KEYS.map((key) => [
    key,
    {
      enumerable: true,
      configurable: true,
      get(this: KbEntry) {
        return detail(this, key);
      },
      set(this: KbEntry, value: unknown) {
        detail(this, key);
        (this as unknown as Record<string, unknown>)[key] = value;
      },
    },
  ]),
);

/** Replaces an accessor with the plain value, in the same place among the entry's keys. */
function settle(entry: object, key: string, value: unknown): void {
  Object.defineProperty(entry, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The pattern sources of entries whose patterns are not compiled yet. */
const patternSources = new WeakMap<object, string[]>();

/**
 * An entry's patterns are compiled when first read: a run reads the patterns
 * of the few entries whose codes cover its code, and creating all 300 regular
 * expressions took ~4 ms of each start (`ndr explain 5.7.1`). The accessors
 * are shared by every entry (as LAZY_DETAILS's), so that the entries share
 * their hidden classes too.
 */
const LAZY_PATTERNS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: KbEntry) {
    const patterns = (patternSources.get(this) ?? []).map((p) => new RegExp(p, 'i'));
    patternSources.delete(this);
    settle(this, 'patterns', patterns);
    return patterns;
  },
  set(this: KbEntry, value: unknown) {
    patternSources.delete(this);
    settle(this, 'patterns', value);
  },
};

function lazyEntry(c: CompiledIndexEntry, details: DetailsSource): KbEntry {
  // Built key by key in KbEntry's order: each accessor is a new key (turning a plain key into an accessor
  // would give every entry a hidden class of its own).
  const entry: Record<string, unknown> = { id: c.id, reason: c.reason, codes: c.codes };
  patternSources.set(entry, c.patterns);
  Object.defineProperty(entry, 'patterns', LAZY_PATTERNS);
  entry.fallback = c.fallback;
  entry.title = c.title;
  Object.defineProperties(entry, LAZY_DETAILS);
  const [start, end] = c.details;
  pending.set(entry, () => {
    const values = JSON.parse(details.read(start, end)) as EntryDetails;
    pending.delete(entry);
    for (const key of DETAIL_KEYS) settle(entry, key, values[key]);
  });
  return entry as unknown as KbEntry;
}

/** The knowledge base from its index and details file; an entry's details are parsed when first read. */
export function decompileKb(c: CompiledIndex, details: DetailsSource): KnowledgeBase {
  if (c.version !== COMPILED_VERSION) throw new Error(`compiled knowledge base version ${c.version}, expected ${COMPILED_VERSION}`);
  if (details.bytes !== c.detailsBytes) throw new Error(`compiled knowledge base details are ${details.bytes} bytes, expected ${c.detailsBytes}`);
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
