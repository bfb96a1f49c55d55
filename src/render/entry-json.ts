import type { Finding } from '../core/finding.js';
import type { KbEntry, Solution } from '../knowledge/types.js';

/** The JSON form of a knowledge-base entry (README documents it). */
export function entryToJson(e: KbEntry) {
  const sol = (s: Solution) => ({ title: s.title, for: s.for ?? null, steps: s.steps });
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

export function findingToJson(f: Finding) {
  return {
    recipient: f.recipient,
    status: f.status,
    replyCode: f.replyCode,
    remoteMta: f.remoteMta,
    diagnostic: f.diagnostic,
    wrappedBy: f.wrappedBy,
    match: f.match ? { tier: f.match.tier, matched: f.match.matched } : null,
    entry: f.match ? entryToJson(f.match.entry) : null,
    generic: f.generic,
  };
}
