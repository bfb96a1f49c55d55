import { parseCode, rangeCovers } from '../../knowledge/codes.js';
import { needsWords } from '../../knowledge/decide.js';
import type { KbEntry } from '../../knowledge/types.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { loadKb, makeContext, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';

/** Does the entry answer the query: a code it covers, a code prefix ("5.7"), or words in its id or title? */
export function entryMatchesQuery(e: KbEntry, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const code = parseCode(q);
  if (code) return e.codes.some((r) => rangeCovers(r, code));
  if (/^[245](\.\d{1,3})?\.?$/.test(q)) {
    const prefix = q.replace(/\.$/, '') + '.';
    return e.codes.some((r) => r.text.startsWith(prefix));
  }
  return q.split(/\s+/).every((w) => e.id.includes(w) || e.title.toLowerCase().includes(w) || e.codes.some((r) => r.text.includes(w)));
}

export async function runCodes(query: string | undefined, opts: GlobalOptions, io: CliIo): Promise<number> {
  const ctx = await makeContext(io, opts);
  const kb = await loadKb(io, opts);
  const hits = kb.entries.filter((e) => entryMatchesQuery(e, query ?? ''));
  if (ctx.json) {
    writeLine(io.stdout, safeJson({ schemaVersion: 1, query: query ?? null, entries: hits.map((e) => ({ id: e.id, codes: e.codes.map((c) => c.text), title: e.title, needsWords: needsWords(kb, e) })) }, 2));
  } else {
    const codeWidth = Math.min(24, Math.max(4, ...hits.map((e) => e.codes.map((c) => c.text).join(', ').length)));
    const idWidth = Math.max(2, ...hits.map((e) => e.id.length));
    for (const e of hits) {
      const codes = e.codes.map((c) => c.text).join(', ') || '(text)';
      writeLine(io.stdout, `${ctx.style.bold(sanitize(codes).padEnd(codeWidth))}  ${ctx.style.cyan(sanitize(e.id).padEnd(idWidth))}  ${sanitize(e.title)}${needsWords(kb, e) ? ctx.style.dim(' (needs its words)') : ''}`);
    }
  }
  if (!hits.length) {
    writeLine(io.stderr, `ndr: no knowledge-base entry matches "${sanitize(query ?? '')}"`);
    return EXIT.notFound;
  }
  return EXIT.ok;
}

// main.ts runs this command through the command's own exitCodeOf (see there).
export { exitCodeOf } from '../exit.js';
