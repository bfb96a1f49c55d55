import { describe, expect, it } from 'vitest';
import { compileKb, decompileKb, detailsInMemory, type CompiledKb } from '../../src/knowledge/compiled.js';
import { explainText } from '../../src/explain/text.js';
import { BUNDLED_KB_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

/** As written to and read from dist/: the index through JSON, the details as bytes. */
function roundTrip(c: CompiledKb) {
  return decompileKb(JSON.parse(JSON.stringify(c.index)), detailsInMemory(c.details));
}

describe('the knowledge base compiled at build time', () => {
  const fromYaml = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });
  const compiled = compileKb(fromYaml);
  const fromJson = roundTrip(compiled);

  it('keeps every entry and the registry', () => {
    expect(fromJson.entries.map((e) => e.id)).toEqual(fromYaml.entries.map((e) => e.id));
    expect(fromJson.registry.details.size).toBe(fromYaml.registry.details.size);
    expect(fromJson.entries.flatMap((e) => e.patterns.map((p) => p.source))).toEqual(
      fromYaml.entries.flatMap((e) => e.patterns.map((p) => p.source)),
    );
  });

  it('gives the same entries as the YAML, every field, in the same key order', () => {
    const lazy = roundTrip(compiled);
    const keys = Object.keys(fromYaml.entries[0]!);
    const fields = (e: object) => Object.fromEntries(keys.map((k) => [k, (e as Record<string, unknown>)[k]]));
    expect(lazy.entries.map(fields)).toEqual(fromYaml.entries.map(fields));
    expect(lazy.registry).toEqual(fromYaml.registry);
    expect([...lazy.byId.keys()]).toEqual([...fromYaml.byId.keys()]);
    // Serialised alike too, every key in the same order: fresh entries, details not read yet.
    const fresh = roundTrip(compiled);
    expect(JSON.stringify(fresh.entries)).toBe(JSON.stringify(fromYaml.entries));
  });

  it('explains every example the same way', () => {
    const inputs = fromYaml.entries.flatMap((e) => [...e.examples.match, ...e.examples.nomatch]);
    for (const input of inputs) {
      const a = explainText(fromYaml, input).findings.map((f) => [f.status, f.match?.entry.id, f.match?.tier, f.generic?.detail?.name]);
      const b = explainText(fromJson, input).findings.map((f) => [f.status, f.match?.entry.id, f.match?.tier, f.generic?.detail?.name]);
      expect(b, input).toEqual(a);
    }
  });

  it("parses an entry's details only when one is first read", () => {
    // Spoil the details of every entry but the first: matching and titles still work.
    const first = compiled.index.entries[0]!.details[1];
    const spoilt = Buffer.from(compiled.details);
    spoilt.fill('x'.charCodeAt(0), first, spoilt.length - 1);
    const kb = decompileKb(JSON.parse(JSON.stringify(compiled.index)), detailsInMemory(spoilt));
    expect(kb.entries.map((e) => e.title)).toEqual(fromYaml.entries.map((e) => e.title));
    const second = fromYaml.entries[1]!;
    expect(explainText(kb, second.examples.match[0]!).findings.length).toBeGreaterThan(0);
    expect(kb.entries[0]!.summary).toBe(fromYaml.entries[0]!.summary);
    expect(() => kb.entries[1]!.summary).toThrow(SyntaxError);
  });

  it('lets a detail be replaced, like a plain object', () => {
    const kb = roundTrip(compiled);
    const e = kb.entries[0]!;
    e.history = 'changed';
    expect(e.history).toBe('changed');
    expect(e.summary).toBe(fromYaml.entries[0]!.summary);
  });

  it('refuses a compiled file of another version, or details of another build', () => {
    expect(() => decompileKb({ ...compiled.index, version: 99 }, detailsInMemory(compiled.details))).toThrow(/version 99/);
    expect(() => decompileKb(compiled.index, detailsInMemory(`${compiled.details}\n`))).toThrow(/bytes/);
  });
});

describe("the phrase table's literals computed at build time", () => {
  it('dist/knowledge/reason-literals.js has every alternative of the table with the literals the source computes', async () => {
    const { phraseRows } = await import('../../src/knowledge/reason-words.js');
    const built = (await import(new URL('../../dist/knowledge/reason-literals.js', import.meta.url).href)) as {
      PRECOMPUTED_LITERALS_JSON: string;
    };
    expect(JSON.parse(built.PRECOMPUTED_LITERALS_JSON)).toEqual(phraseRows());
  });
});

describe("the words of Exchange's phrases computed at build time", () => {
  it('dist/bounce/exchange-words.js has every phrase, in the order the filters read them, with the words the source computes', async () => {
    const { phraseWordRows, phraseWords, wordsFrom } = await import('../../src/bounce/exchange-patterns.js');
    const built = (await import(new URL('../../dist/bounce/exchange-words.js', import.meta.url).href)) as {
      PRECOMPUTED_PHRASE_WORDS_JSON: string;
    };
    const rows = JSON.parse(built.PRECOMPUTED_PHRASE_WORDS_JSON) as string[][];
    expect(rows).toEqual(phraseWordRows());
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((words) => words.length > 0)).toBe(true);
    // A row is used only where each of its words is in its phrase (a row from another table is not).
    const phrase = "Your message couldn't be delivered to {rcpt}";
    const words = phraseWords(phrase);
    expect(words[0]).toBe('delivered');
    expect(wordsFrom(['delivered', 'message'], phrase)).toEqual(['delivered', 'message']);
    expect(wordsFrom(['delivered', 'rejected'], phrase)).toEqual(words);
    expect(wordsFrom([], phrase)).toEqual(words);
    expect(wordsFrom(undefined, phrase)).toEqual(words);
  });
});
