/** The SPF lookup rows as short lines, for the tests of spf-tree.ts and spf-lookups.ts. */
import { expect } from 'vitest';
import { spfLookupRows } from '../../src/checks/spf-lookups.js';
import type { SpfEvaluation } from '../../src/checks/spf-tree.js';

/** The breakdown as "depth-indented term [void] [(note)]"; it must add up to the total. */
export function rows(e: SpfEvaluation): string[] {
  const list = spfLookupRows(e);
  expect(list.reduce((n, r) => n + r.lookups, 0)).toBe(e.lookups);
  expect(list.filter((r) => r.void).length).toBe(e.voidLookups);
  return list.map((r) => `${'  '.repeat(r.depth)}${r.term}${r.void ? ' void' : ''}${r.note ? ` (${r.note})` : ''}`);
}
