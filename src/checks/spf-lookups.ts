import { isVoid } from './ask.js';
import { countsAsLookup, redirectOf, SPF_MAX_LOOKUPS, SPF_MAX_VOID_LOOKUPS } from './spf-record.js';
import type { SpfEvaluation, SpfNode } from './spf-tree.js';
import type { SpfLookupBreakdown, SpfLookupRow } from './types.js';

/**
 * Every DNS-querying term of the tree, in the order of the records, each
 * include or redirect followed by the terms of the record it leads to: one
 * lookup a row (RFC 7208 §4.6.4 counts the include itself, then what its
 * record holds), so the rows add up to `e.lookups`.
 */
export function spfLookupRows(e: SpfEvaluation): SpfLookupRow[] {
  const rows: SpfLookupRow[] = [];
  const visit = (n: SpfNode, depth: number) => {
    if (!n.parsed) return;
    const redirect = redirectOf(n.parsed);
    const children = [...n.children];
    const termLookups = [...n.termLookups];
    const take = <T extends { term: string | null }>(list: T[], raw: string): T | null => {
      const i = list.findIndex((x) => x.term === raw);
      return i < 0 ? null : list.splice(i, 1)[0]!;
    };
    for (const t of n.parsed.terms) {
      if (!countsAsLookup(t)) continue;
      if (t.kind === 'modifier' && redirect === null) continue; // ignored next to "all", as in ownLookups
      const row: SpfLookupRow = { depth, record: n.domain, term: t.raw, lookups: 1, void: false, note: null };
      rows.push(row);
      if (t.kind === 'modifier' || t.name === 'include') {
        const child = take(children, t.raw);
        if (!child) continue;
        row.void = Boolean(child.lookup && isVoid(child.lookup));
        if (child.status !== 'ok') row.note = child.problem ?? child.status;
        visit(child, depth + 1);
        continue;
      }
      const asked = take(termLookups, t.raw);
      if (asked) row.void = asked.results.length > 0 && asked.results.every(isVoid);
      else if (t.name === 'ptr') row.note = 'not asked: needs the connecting address';
      else row.note = "not asked: holds macros that need the sender's address";
    }
  };
  visit(e.root, 0);
  return rows;
}

export function spfLookupBreakdown(e: SpfEvaluation): SpfLookupBreakdown {
  const rows = spfLookupRows(e);
  return { rows, total: e.lookups, voidLookups: e.voidLookups, limit: SPF_MAX_LOOKUPS, voidLimit: SPF_MAX_VOID_LOOKUPS };
}
