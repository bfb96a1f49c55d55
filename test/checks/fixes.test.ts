import { describe, expect, it } from 'vitest';
import { FIXES } from '../../src/checks/fixes.js';
import { CHECK_IDS } from '../../src/checks/types.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';

describe('check fixes', () => {
  it('every check has fix steps and docs', () => {
    for (const id of CHECK_IDS) {
      expect(FIXES[id].steps.length, id).toBeGreaterThan(0);
      for (const d of FIXES[id].docs) expect(d, id).toMatch(/^https:\/\//);
    }
  });

  it('every knowledge-base link names a real entry', () => {
    const kb = loadKnowledgeBase({ extraDirs: [] });
    for (const id of CHECK_IDS) {
      const entry = FIXES[id].kb;
      if (entry !== null) expect(kb.byId.has(entry), `${id} -> ${entry}`).toBe(true);
    }
  });
});

describe('knowledge-base links by cause', () => {
  it('names the null-MX, nonexistent-domain and lookup-failure entries', async () => {
    const { KB_NULL_MX, KB_NO_DOMAIN, KB_MX_HOST_LOOKUP, KB_MX, KB_SPF } = await import('../../src/checks/fixes.js');
    const kb = loadKnowledgeBase({ extraDirs: [] });
    for (const id of [KB_NULL_MX, KB_NO_DOMAIN, KB_MX_HOST_LOOKUP, KB_MX, KB_SPF]) expect(kb.byId.has(id), id).toBe(true);
  });
});
