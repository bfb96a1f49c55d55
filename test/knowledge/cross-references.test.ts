/**
 * Issue 15: the knowledge base refers to another entry (or to another part of
 * the same one) by the command that shows it, never by an internal name ("see
 * the relay entry", "the recipient solution of this entry"), and each such
 * `ndr explain` command selects an entry.
 */
import { describe, expect, it } from 'vitest';
import { explainInputFor } from '../../src/explain/input-for.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { KbEntry } from '../../src/knowledge/types.js';

const kb = loadKnowledgeBase();

/** Every sentence of an entry a user reads. */
function texts(e: KbEntry): string[] {
  const steps = [...e.solutions.sender, ...e.solutions.admin].flatMap((s) => [
    s.title,
    ...s.steps.flatMap((st) => (typeof st === 'string' ? [st] : [st.text, ...st.substeps])),
  ]);
  return [e.title, e.summary, ...e.causes, ...steps, e.history ?? ''];
}

const IDS = kb.entries.map((e) => e.id.replace(/[.-]/g, '\\$&')).join('|');
const INTERNAL = new RegExp(
  [
    String.raw`\b(?:see|in) the [\w.-]+ (?:entry|variant)\b`,
    String.raw`\b(?:of|in) this entry\b`,
    String.raw`\bsee the (?:admin|sender|recipient) steps\b`,
    String.raw`\bas in the (?:admin|sender) steps\b`,
    String.raw`\bsee (?:the )?(?:${IDS})\b`,
    String.raw`\bthe (?:${IDS}) entry\b`,
  ].join('|'),
  'i',
);

/** `ndr explain "..."` or `ndr explain 5.7.1`, with the input as the shell would pass it. */
const COMMAND = /ndr explain (?:"([^"]+)"|'([^']+)'|([245]\.\d{1,3}\.\d{1,3}))/g;

describe('cross-references in the knowledge base', () => {
  it('no entry names another one (or a part of itself) by an internal name', () => {
    const found = kb.entries.flatMap((e) =>
      texts(e)
        .filter((t) => INTERNAL.test(t))
        .map((t) => `${e.id}: ${t}`),
    );
    expect(found).toEqual([]);
  });

  const commands = kb.entries.flatMap((e) =>
    texts(e).flatMap((t) => [...t.matchAll(COMMAND)].map((m) => [e.id, m[1] ?? m[2] ?? m[3]!] as const)),
  );

  it('has commands to check', () => {
    expect(commands.length).toBeGreaterThanOrEqual(20);
  });

  it.each(commands)('%s: ndr explain %j selects an entry', (_id, input) => {
    expect(explainText(kb, input).findings[0]?.match?.entry.id).toBeDefined();
  });
});

describe('explainInputFor', () => {
  it('gives every entry an input that selects exactly it', () => {
    for (const e of kb.entries) {
      const input = explainInputFor(kb, e);
      expect(input, e.id).not.toBeNull();
      expect(explainText(kb, input!).findings[0]?.match?.entry.id, input!).toBe(e.id);
    }
  });
});
