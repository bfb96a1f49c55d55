import type { KbEntry, KnowledgeBase, Registry } from './types.js';

/**
 * The knowledge base compiled at build time (scripts/build-kb.mjs) to JSON, so
 * `ndr explain 5.7.1` starts without parsing YAML: the YAML was validated when
 * it was compiled. Patterns travel as their sources and are compiled again here.
 */
export const COMPILED_VERSION = 1;

type CompiledEntry = Omit<KbEntry, 'patterns'> & { patterns: string[] };

export interface CompiledKb {
  version: number;
  entries: CompiledEntry[];
  registry: {
    classes: [number, { name: string; meaning: string }][];
    subjects: [number, { name: string; meaning: string }][];
    details: [string, Registry['details'] extends Map<string, infer V> ? V : never][];
    replyCodes: [string, { meaning: string }][];
    sources: string[];
  };
}

export function compileKb(kb: KnowledgeBase): CompiledKb {
  return {
    version: COMPILED_VERSION,
    entries: kb.entries.map((e) => ({ ...e, patterns: e.patterns.map((p) => p.source) })),
    registry: {
      classes: [...kb.registry.classes],
      subjects: [...kb.registry.subjects],
      details: [...kb.registry.details],
      replyCodes: [...kb.registry.replyCodes],
      sources: kb.registry.sources,
    },
  };
}

export function decompileKb(c: CompiledKb): KnowledgeBase {
  if (c.version !== COMPILED_VERSION) throw new Error(`compiled knowledge base version ${c.version}, expected ${COMPILED_VERSION}`);
  const entries = c.entries.map((e) => ({ ...e, patterns: e.patterns.map((p) => new RegExp(p, 'i')) }));
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
