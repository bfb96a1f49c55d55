import type { Finding } from '../explain/finding.js';
import type { KbEntry, Solution } from '../knowledge/types.js';
import { safeJson } from './sanitize.js';

/** The JSON form of a knowledge-base entry (README documents it). */
export function entryToJson(e: KbEntry) {
  const sol = (s: Solution) => ({ title: s.title, for: s.for ?? null, client: s.client ?? null, steps: s.steps });
  return {
    id: e.id,
    title: e.title,
    codes: e.codes.map((c) => c.text),
    owner: e.owner,
    summary: e.summary,
    causes: e.causes,
    solutions: { sender: e.solutions.sender.map(sol), admin: e.solutions.admin.map(sol) },
    checks: e.checks,
    checkDomain: e.checkDomain,
    history: e.history,
    see: e.see,
    sources: e.sources,
  };
}

/**
 * How the entry was chosen; `seeAlso` is the entry the code pointed to when
 * the words chose another one (then `tier` is "words"), or chose none (then
 * `tier` and `matched` are null).
 */
function matchJson(f: Finding) {
  if (!f.match && !f.seeAlso) return null;
  const seeAlso = f.seeAlso ? { id: f.seeAlso.entry.id, title: f.seeAlso.entry.title, code: f.seeAlso.code } : null;
  return { tier: f.match?.tier ?? null, matched: f.match?.matched ?? null, seeAlso };
}

/** How a finding's entry is written: entryToJson, or a stand-in that JsonLines replaces. */
export type EntryWriter = (e: KbEntry) => unknown;

export function findingToJson(f: Finding, entry: EntryWriter = entryToJson) {
  return {
    recipient: f.recipient,
    status: f.status,
    replyCode: f.replyCode,
    remoteMta: f.remoteMta,
    diagnostic: f.diagnostic,
    wrappedBy: f.wrappedBy,
    reason: f.reason,
    match: matchJson(f),
    entry: f.match ? entry(f.match.entry) : null,
    generic: f.generic,
  };
}

/**
 * JSON Lines of many documents that repeat the same few entries (most of a
 * batch's output is entry text): each entry is made into JSON once, and a
 * document holds a stand-in string that is replaced by that JSON once the
 * document is written. The stand-in carries a random nonce, so no text from a
 * message can pass for one. The line is exactly what safeJson of the whole
 * document would give.
 */
export class JsonLines {
  private readonly nonce = globalThis.crypto.randomUUID();
  private readonly fragments: string[] = [];
  private readonly ids = new Map<KbEntry, number>();
  private readonly standIn: RegExp;

  constructor() {
    this.standIn = new RegExp(`"ndr-entry ${this.nonce} (\\d+)"`, 'g');
  }

  readonly entry: EntryWriter = (e) => {
    let id = this.ids.get(e);
    if (id === undefined) {
      id = this.fragments.length;
      this.fragments.push(safeJson(entryToJson(e)));
      this.ids.set(e, id);
    }
    return `ndr-entry ${this.nonce} ${id}`;
  };

  /** One line (no indentation) for a document built with `entry`. */
  line(doc: unknown): string {
    return safeJson(doc).replace(this.standIn, (_m, id: string) => this.fragments[Number(id)]!);
  }
}
