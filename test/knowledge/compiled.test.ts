import { describe, expect, it } from 'vitest';
import { compileKb, decompileKb } from '../../src/knowledge/compiled.js';
import { explainText } from '../../src/knowledge/explain.js';
import { BUNDLED_KB_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

describe('the knowledge base compiled at build time', () => {
  const fromYaml = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });
  const fromJson = decompileKb(JSON.parse(JSON.stringify(compileKb(fromYaml))));

  it('keeps every entry and the registry', () => {
    expect(fromJson.entries.map((e) => e.id)).toEqual(fromYaml.entries.map((e) => e.id));
    expect(fromJson.registry.details.size).toBe(fromYaml.registry.details.size);
    expect(fromJson.entries.flatMap((e) => e.patterns.map((p) => p.source))).toEqual(fromYaml.entries.flatMap((e) => e.patterns.map((p) => p.source)));
  });

  it('explains every example the same way', () => {
    const inputs = fromYaml.entries.flatMap((e) => [...e.examples.match, ...e.examples.nomatch]);
    for (const input of inputs) {
      const a = explainText(fromYaml, input).findings.map((f) => [f.status, f.match?.entry.id, f.match?.tier, f.generic?.detail?.name]);
      const b = explainText(fromJson, input).findings.map((f) => [f.status, f.match?.entry.id, f.match?.tier, f.generic?.detail?.name]);
      expect(b, input).toEqual(a);
    }
  });

  it('refuses a compiled file of another version', () => {
    expect(() => decompileKb({ ...compileKb(fromYaml), version: 99 })).toThrow(/version 99/);
  });
});
