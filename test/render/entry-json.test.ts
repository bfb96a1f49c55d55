/**
 * JsonLines: a batch line with each entry's JSON made once and spliced in is
 * exactly safeJson of the whole document, and text from a message cannot pose
 * as an entry's stand-in.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/explain/finding.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { entryToJson, findingToJson, JsonLines, type EntryWriter } from '../../src/render/entry-json.js';
import { safeJson } from '../../src/render/sanitize.js';

const kb = loadKnowledgeBase();
const [a, b] = kb.entries;

function finding(entry: typeof a, diagnostic: string): Finding {
  return {
    recipient: 'user@contoso.example',
    status: '5.1.1',
    replyCode: '550',
    remoteMta: null,
    diagnostic,
    wrappedBy: null,
    match: { entry: entry!, tier: 'exact', matched: '5.1.1' },
    reason: entry!.reason,
    seeAlso: null,
    generic: null,
  };
}

const doc = (entry: EntryWriter, diagnostic: string) => ({
  schemaVersion: 1,
  file: 'x.eml',
  findings: [finding(a, diagnostic), finding(b, 'other'), finding(a, 'again')].map((f) => findingToJson(f, entry)),
});

describe('JsonLines', () => {
  it('writes what safeJson of the whole document writes, entries made once', () => {
    const lines = new JsonLines();
    for (const diagnostic of ['550 5.1.1 user unknown', 'bidi \u202e and C1 \u009b and DEL \u007f', '"quoted" \\ back\nslash']) {
      expect(lines.line(doc(lines.entry, diagnostic))).toBe(safeJson(doc(entryToJson, diagnostic)));
    }
    expect(JSON.parse(lines.line(doc(lines.entry, 'x'))).findings[2].entry).toEqual(entryToJson(a!));
  });

  it('escapes unsafe characters inside entries too (an organisation knowledge base is not trusted)', () => {
    const lines = new JsonLines();
    const hostile = { ...a!, title: 'evil \u202e title \u0085' };
    const line = lines.line({ findings: [findingToJson(finding(hostile, 'x'), lines.entry)] });
    expect(line).toContain('evil \\u202e title \\u0085');
    expect(line).toBe(safeJson({ findings: [findingToJson(finding(hostile, 'x'))] }));
  });

  it('leaves text that looks like a stand-in alone: it cannot know the nonce', () => {
    const lines = new JsonLines();
    const standIn = lines.entry(a!) as string;
    const forged = standIn.replace(/ [0-9a-f-]{36} /, ' 00000000-0000-0000-0000-000000000000 ');
    const line = lines.line({ diagnostic: forged, other: `ndr-entry ${'x'} 0` });
    expect(JSON.parse(line)).toEqual({ diagnostic: forged, other: 'ndr-entry x 0' });
  });
});
