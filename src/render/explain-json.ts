import type { BounceExplanation } from '../explain/bounce.js';
import type { CheckReport } from '../checks/types.js';
import type { TextExplanation } from '../explain/text.js';
import { checkReportJson } from './check-json.js';
import { entryToJson, findingToJson, type EntryWriter } from './entry-json.js';

/** The JSON documents of `ndr explain --json` (README documents each shape). */
export const SCHEMA_VERSION = 1;

/** A code, reply or pasted text; `file` when it came from a file in a batch (null: from the command line). */
export function textJson(ex: TextExplanation, file?: string | null) {
  return {
    schemaVersion: SCHEMA_VERSION,
    ...(file !== undefined ? { file } : {}),
    input: ex.input,
    kind: ex.kind,
    findings: ex.findings.map((f) => findingToJson(f)),
  };
}

/**
 * One message; `message` is its number in an mbox (null: the file holds one). Its `checkCommands`
 * are checksJson's, which the caller spreads over this document: the key is here, last, so that
 * the spread replaces a key rather than adds one; V8 made an object spread with a key added slowly
 * (~5 us a document, and a slower JSON.stringify of it).
 */
export function messageJson(ex: BounceExplanation, file: string, message: number | null, entry: EntryWriter = entryToJson) {
  const b = ex.bounce;
  return {
    schemaVersion: SCHEMA_VERSION,
    file,
    ...(message !== null ? { message } : {}),
    kind: 'message',
    messageKind: b.messageKind,
    layout: b.layout,
    language: b.language,
    generatingServer: b.generatingServer,
    reportingMta: b.reportingMta,
    arrivalDate: b.arrivalDate,
    subject: b.subject,
    from: b.from,
    to: b.to,
    date: b.date,
    original: b.original,
    exchange: b.exchange,
    feedback: b.feedback,
    hints: b.hints,
    truncated: b.truncated,
    findings: ex.findings.map((f) => withRecord(findingToJson(f.finding, entry), f.record)),
    checkCommands: [] as string[],
  };
}

type BounceRecord = BounceExplanation['findings'][number]['record'];
type RecordJson = Pick<BounceRecord, 'statusInferred' | 'action' | 'command' | 'originalRecipient' | 'source'>;

/**
 * A finding's JSON with its record's fields after its own, added to the fresh object findingToJson
 * made: spreading that object into a literal with five more keys took ~11 us a finding in V8, a
 * batch's hottest allocation; this ~0.3 us. The keys and their order are the same.
 */
function withRecord<T extends object>(json: T, r: BounceRecord): T & RecordJson {
  const out = json as T & RecordJson;
  out.statusInferred = r.statusInferred;
  out.action = r.action;
  out.command = r.command;
  out.originalRecipient = r.originalRecipient;
  out.source = r.source;
  return out;
}

/** An input that could not be explained (unreadable, too large, not a message …). */
export function errorJson(file: string, message: number | null, error: string) {
  return { schemaVersion: SCHEMA_VERSION, file, ...(message !== null ? { message } : {}), error: { code: 'input', message: error } };
}

/** A folder with more files than one run reads: what was left out. */
export function folderCutJson(cut: { folder: string; limit: number; files: number; leftOut: number }) {
  return {
    schemaVersion: SCHEMA_VERSION,
    file: cut.folder,
    kind: 'truncated',
    truncated: [{ what: 'files', limit: cut.limit, found: cut.files, leftOut: cut.leftOut }],
  };
}

/** The checks a document's findings point to: their commands, and with --check (`reports` not null) their results. */
export function checksJson(links: { command: string }[], reports: CheckReport[] | null) {
  return {
    checkCommands: links.map((l) => l.command),
    ...(reports ? { checkReports: reports.map(checkReportJson) } : {}),
  };
}
