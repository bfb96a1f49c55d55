import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Our users, developers and CI run Node 20. Several of our dependencies raised
 * their floor in minor releases; this walks the lockfile and fails if any
 * installed package declares an engines.node range that excludes this Node.
 */
function satisfiesNode(range: string, version: string): boolean {
  const [maj, min, pat] = version.split('.').map(Number) as [number, number, number];
  const cmp = (v: number[]) => maj - v[0]! || min - (v[1] ?? 0) || pat - (v[2] ?? 0);
  return range.split('||').some((alt) =>
    alt
      .replace(/([<>=~^]+)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((term) => {
        if (term === '*' || term === 'x') return true;
        const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?/.exec(term);
        if (!m) return true; // unknown syntax: do not guess
        const v = [
          Number(m[2]),
          m[3] === 'x' || m[3] === undefined ? 0 : Number(m[3]),
          m[4] === 'x' || m[4] === undefined ? 0 : Number(m[4]),
        ];
        const c = cmp(v);
        switch (m[1]) {
          case '>=':
            return c >= 0;
          case '>':
            return c > 0;
          case '<=':
            return c <= 0;
          case '<':
            return c < 0;
          case '^':
            return c >= 0 && maj === v[0];
          case '~':
            return c >= 0 && maj === v[0] && (m[3] === undefined || min === v[1]);
          default:
            return m[3] === undefined ? maj === v[0] : c === 0;
        }
      }),
  );
}

describe('dependencies run on Node 20', () => {
  it('understands engine ranges', () => {
    expect(satisfiesNode('>=20', '20.20.2')).toBe(true);
    expect(satisfiesNode('^20.17.0 || >=22', '20.20.2')).toBe(true);
    expect(satisfiesNode('^22.22.2 || ^24.15.0 || >=26', '20.20.2')).toBe(false);
    expect(satisfiesNode('>=22.12.0', '20.20.2')).toBe(false);
    expect(satisfiesNode('^20.19.0 || >=22.12.0', '20.18.1')).toBe(false);
  });

  it('no locked package excludes Node 20.19', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const bad = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.engines && !Array.isArray(p.engines) && p.engines.node && !satisfiesNode(p.engines.node, '20.19.0'))
      .map(([path, p]) => `${path}@${p.version}: ${(p.engines as { node: string }).node}`);
    expect(bad).toEqual([]);
  });
});
