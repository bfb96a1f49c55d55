/**
 * The layout's rules (STYLE.md "The shape of the house", issue 13), read from
 * the import graph of src/: data flows one way, so no two folders import each
 * other (directly or round a longer loop); the parser does not reach into the
 * matching or the explaining; nothing below the CLI imports from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const SRC = join(ROOT, 'src');

/** Every import of a module: static, dynamic, type-only, re-export and side-effect imports alike. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

interface Edge {
  file: string;
  target: string;
}

/** src/ files' imports of other src/ files, as paths relative to src/ ("cli/main.ts"). */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    for (const m of readFileSync(join(SRC, file), 'utf8').matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, '.ts');
      edges.push({ file: file.split('\\').join('/'), target: target.split('\\').join('/') });
    }
  }
  return edges;
}

/** The folder right under src/ that a file is in ("cli" for cli/commands/explain.ts). */
const folderOf = (path: string) => path.split('/')[0]!;

/** Folders that import each other, directly or round a loop: each such group, as its folders in name order. */
function folderCycles(edges: { from: string; to: string }[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) if (from !== to) (next.get(from) ?? next.set(from, new Set()).get(from)!).add(to);
  const reaches = (a: string, b: string) => {
    const seen = new Set<string>();
    const stack = [a];
    while (stack.length) {
      for (const n of next.get(stack.pop()!) ?? []) {
        if (n === b) return true;
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    return false;
  };
  const folders = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const groups: string[][] = [];
  for (const f of folders) {
    if (groups.some((g) => g.includes(f)) || !reaches(f, f)) continue;
    groups.push(folders.filter((g) => g === f || (reaches(f, g) && reaches(g, f))));
  }
  return groups;
}

const edges = importEdges();
const crossing = (from: string, to: string) =>
  edges.filter((e) => folderOf(e.file) === from && folderOf(e.target) === to).map((e) => `${e.file} -> ${e.target}`);

describe('folderCycles (the rule checker itself)', () => {
  const ok = (pairs: string[], cycles: string[][]) =>
    expect(folderCycles(pairs.map((p) => ({ from: p.split('>')[0]!, to: p.split('>')[1]! })))).toEqual(cycles);
  it.each([
    [['a>b', 'b>c'], []],
    [['a>b', 'b>a'], [['a', 'b']]],
    [['a>b', 'b>c', 'c>a', 'c>d'], [['a', 'b', 'c']]],
    [['a>a', 'a>b'], []],
    [
      ['a>b', 'b>a', 'c>d', 'd>c'],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
  ])('%j -> %j', (pairs, cycles) => ok(pairs, cycles));
});

describe('the import graph of src/', () => {
  it('is read (a sanity check: the CLI imports the explaining and the inputs)', () => {
    expect(crossing('cli', 'explain').length).toBeGreaterThan(0);
    expect(crossing('cli', 'input').length).toBeGreaterThan(0);
  });

  it('has no folder cycle: data flows one way', () => {
    expect(folderCycles(edges.map((e) => ({ from: folderOf(e.file), to: folderOf(e.target) })))).toEqual([]);
  });

  it.each([
    ['bounce', 'knowledge'],
    ['bounce', 'explain'],
    ['knowledge', 'explain'],
    ['knowledge', 'bounce'],
  ])('%s/ does not import %s/', (from, to) => {
    expect(crossing(from, to)).toEqual([]);
  });

  it('nothing outside cli/ imports cli/', () => {
    expect(edges.filter((e) => folderOf(e.file) !== 'cli' && folderOf(e.target) === 'cli').map((e) => `${e.file} -> ${e.target}`)).toEqual(
      [],
    );
  });

  it('every import names a file that exists', () => {
    const files = new Set(readdirSync(SRC, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/')));
    expect(edges.filter((e) => !files.has(e.target)).map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });
});
