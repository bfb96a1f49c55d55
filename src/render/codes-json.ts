import type { KbEntry } from '../knowledge/types.js';

/** The JSON document of `ndr codes --json` (README documents it). */
export function codesJson(query: string | null, entries: KbEntry[], needsWords: (e: KbEntry) => boolean) {
  return {
    schemaVersion: 1,
    query,
    entries: entries.map((e) => ({ id: e.id, codes: e.codes.map((c) => c.text), title: e.title, needsWords: needsWords(e) })),
  };
}
