import { parseCode, rangeCovers, sortByCode } from '../../knowledge/codes.js';
import { needsWords } from '../../knowledge/decide.js';
import type { KbEntry } from '../../knowledge/types.js';
import { codesJson } from '../../render/codes-json.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import type { Style } from '../../render/style.js';
import { wrap } from '../../render/wrap.js';
import { loadKb, makeContext, type GlobalOptions } from '../context.js';
import type { CommandResult } from '../exit.js';
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

/** Below this many columns for the title, rows put the id after the title instead of in a column. */
const MIN_TITLE_COLUMNS = 40;

interface CodeRow {
  codes: string;
  id: string;
  title: string;
  /** A variant that `ndr explain <code>` alone does not pick: it needs the bounce's words. */
  needsWords: boolean;
  codeWidth: number;
  idWidth: number | null;
  width: number;
}

/**
 * The rows of `ndr codes`: codes, id and title in columns when the title keeps
 * at least MIN_TITLE_COLUMNS, else codes and title with the id after it; the
 * title wraps under itself, long code lists wrap inside their column.
 */
function codeRows(entries: KbEntry[], width: number, wordsNeeded: (e: KbEntry) => boolean): CodeRow[] {
  const texts = entries.map((e) => ({
    codes: sanitize(e.codes.map((c) => c.text).join(', ') || '(text)'),
    id: sanitize(e.id),
    title: sanitize(e.title),
    needsWords: wordsNeeded(e),
  }));
  const codeWidth = Math.min(16, Math.max(4, ...texts.map((t) => t.codes.length)));
  const idWidth = Math.max(2, ...texts.map((t) => t.id.length));
  const columns = codeWidth + 2 + idWidth + 2 + MIN_TITLE_COLUMNS <= width;
  return texts.map((t) => ({ ...t, codeWidth, idWidth: columns ? idWidth : null, width }));
}

function styleRow(r: CodeRow, style: Style): string {
  const codeLines = wrap(r.codes, r.codeWidth).split('\n');
  const lead = r.codeWidth + 2 + (r.idWidth === null ? 0 : r.idWidth + 2);
  const title = r.needsWords ? `${r.title} ${style.dim('(needs its words)')}` : r.title;
  const body = r.idWidth === null ? `${title}  ${style.dim(`[${r.id}]`)}` : title;
  const titleLines = wrap(body, r.width - lead).split('\n');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(codeLines.length, titleLines.length); i++) {
    const code = (codeLines[i] ?? '').padEnd(r.codeWidth);
    const id = r.idWidth === null ? '' : `${(i === 0 ? r.id : '').padEnd(r.idWidth)}  `;
    lines.push(`${style.bold(code)}  ${i === 0 ? style.cyan(id) : id}${titleLines[i] ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

/** What `ndr codes` runs with. */
interface CodesSettings {
  global: GlobalOptions;
  query: string;
}

export async function runCodes(query: string | undefined, opts: GlobalOptions, io: CliIo): Promise<CommandResult> {
  const settings: CodesSettings = { global: { json: opts.json, color: opts.color, kb: opts.kb }, query: query ?? '' };
  const ctx = await makeContext(io, settings.global);
  const kb = await loadKb(io, settings.global);
  const hits = sortByCode(
    kb.entries.filter((e) => entryMatchesQuery(e, settings.query)),
    settings.query,
  );
  if (ctx.json)
    writeLine(
      io.stdout,
      safeJson(
        codesJson(query ?? null, hits, (e) => needsWords(kb, e)),
        2,
      ),
    );
  else for (const row of codeRows(hits, ctx.width, (e) => needsWords(kb, e))) writeLine(io.stdout, styleRow(row, ctx.style));
  return hits.length ? { exit: 'ok' } : { exit: 'nothingRecognised', message: `no knowledge-base entry matches "${settings.query}"` };
}
