import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';

/**
 * Every knowledge-base pattern against 1 MB of near-miss input: the pattern's
 * longest literal run with its last character changed, repeated. A pattern
 * that backtracks badly would not finish; the loader's linear-time rules are
 * meant to make that impossible, and this checks the rules against reality.
 */
const MB = 1024 * 1024;

function nearMiss(source: string): string {
  const runs = source
    .replace(/\\[sdwbSDWB]/g, ' ')
    .replace(/\\(.)/g, '$1')
    .split(/[\^$.|?*+()[\]{}]/);
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '') || 'a';
  const miss = longest.slice(0, -1) + (longest.endsWith('x') ? 'y' : 'x');
  return miss.repeat(Math.ceil(MB / miss.length)).slice(0, MB);
}

const kb = loadKnowledgeBase();

describe('knowledge-base patterns on 1 MB of near-miss input', () => {
  const patterns = kb.entries.flatMap((e) => e.patterns.map((p) => [e.id, p] as const));
  it('has patterns to test', () => expect(patterns.length).toBeGreaterThan(20));
  it('every pattern finishes', () => {
    for (const [id, p] of patterns) {
      const input = nearMiss(p.source);
      const m = p.exec(input);
      // The point is that exec returns at all; a near miss usually does not match.
      expect(m === null || typeof m[0] === 'string', `${id}: ${p.source}`).toBe(true);
    }
  }, 120_000);
});
