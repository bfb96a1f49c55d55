/**
 * `ndr codes` through the real binary: numeric code order, the most specific
 * entry first for a code inside several ranges, text rows in the JSON's order.
 */
import { describe, expect, it } from 'vitest';
import { compareRanges, parseCode, parseCodeRange, rangeCovers, rangeWidth } from '../../src/knowledge/codes.js';
import { runCli } from '../helpers/cli.js';

interface Listed {
  id: string;
  codes: string[];
  title: string;
}

async function listed(args: string[]): Promise<Listed[]> {
  const r = await runCli(['codes', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).entries as Listed[];
}

const range = (text: string) => parseCodeRange(text)!;

describe('ndr codes order', () => {
  it('lists every entry by its main code in numeric order (5.7.1 < 5.7.12 < 5.7.13 < 5.7.124), entries without a code last', async () => {
    const entries = await listed([]);
    expect(entries.length).toBeGreaterThan(50);
    const coded = entries.filter((e) => e.codes.length);
    for (let i = 1; i < coded.length; i++) {
      expect(
        compareRanges(range(coded[i - 1]!.codes[0]!), range(coded[i]!.codes[0]!)),
        `${coded[i - 1]!.id} before ${coded[i]!.id}`,
      ).toBeLessThanOrEqual(0);
    }
    const firstUncoded = entries.findIndex((e) => !e.codes.length);
    if (firstUncoded >= 0) expect(entries.slice(firstUncoded).every((e) => !e.codes.length)).toBe(true);
  });

  it('a prefix (5.7): by the lowest code under it, numeric, not text order', async () => {
    const entries = await listed(['5.7']);
    const keys = entries.map(
      (e) =>
        e.codes
          .map(range)
          .filter((r) => r.cls === 5 && r.subject === 7)
          .sort(compareRanges)[0]!,
    );
    for (let i = 1; i < keys.length; i++)
      expect(compareRanges(keys[i - 1]!, keys[i]!), `${entries[i - 1]!.id} before ${entries[i]!.id}`).toBeLessThanOrEqual(0);
    const order = keys.map((k) => k.text);
    for (const [a, b] of [
      ['5.7.1', '5.7.12'],
      ['5.7.12', '5.7.13'],
      ['5.7.13', '5.7.124'],
    ] as const) {
      expect(order.indexOf(a), `${a} listed`).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    }
  });

  it.each(['5.7.650', '5.7.1', '5.1.10', '4.4.7', '5.7.950'])('%s: the entries covering it, narrowest range first', async (query) => {
    const code = parseCode(query)!;
    const entries = await listed([query]);
    expect(entries.length).toBeGreaterThan(0);
    const widths = entries.map((e) =>
      Math.min(
        ...e.codes
          .map(range)
          .filter((r) => rangeCovers(r, code))
          .map(rangeWidth),
      ),
    );
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
  });

  it('text rows come in the JSON order and fit 80 columns', async () => {
    const entries = await listed(['5.7']);
    const r = await runCli(['codes', '5.7']);
    const text = r.stdout;
    let at = 0;
    for (const e of entries) {
      const next = text.indexOf(e.id, at);
      expect(next, `${e.id} in order`).toBeGreaterThan(at - 1);
      at = next;
    }
    expect(text.split('\n').every((l) => [...l].length <= 80)).toBe(true);
  });
});

describe('options before the command', () => {
  it.each([
    [
      ['--no-color', 'explain', '5.7.1'],
      ['explain', '--no-color', '5.7.1'],
    ],
    [
      ['--json', 'explain', '5.7.1'],
      ['explain', '--json', '5.7.1'],
    ],
    [
      ['-a', 'admin', 'explain', '5.7.1'],
      ['explain', '-a', 'admin', '5.7.1'],
    ],
    [
      ['--audience=sender', 'explain', '5.1.10'],
      ['explain', '--audience=sender', '5.1.10'],
    ],
    [
      ['--json', 'codes', '5.7.1'],
      ['codes', '--json', '5.7.1'],
    ],
    [
      ['--no-color', '--json', 'kb', 'lint'],
      ['kb', 'lint', '--no-color', '--json'],
    ],
  ])('%j works as %j', async (before, after) => {
    const [a, b] = await Promise.all([runCli(before), runCli(after)]);
    expect(a.code).toBe(0);
    expect(a).toEqual(b);
  });

  it('an option the command does not take is still a usage error (exit 2)', async () => {
    const r = await runCli(['--max-size', '1M', 'codes', '5.7.1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
