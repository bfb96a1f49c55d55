// What every section of the benchmark (scripts/bench.mjs) shares: where the
// checkout is, the mode, the budgets' verdicts, and the rows that the table and
// BENCHMARKS.md are made from.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const QUICK = process.argv.includes('--quick');
export const NDR = join(ROOT, 'bin', 'ndr.js');
export const say = (s) => process.stderr.write(`${s}\n`);

// --- the budgets ------------------------------------------------------------
// kind 'max': the figure must be at most `budget`; gross past 2x the budget.
// kind 'min': the figure must be at least `budget`; gross under half of it.
export function verdict(kind, value, budget) {
  if (value === null || Number.isNaN(value)) return 'not measured';
  if (kind === 'max') return value <= budget ? 'met' : value <= 2 * budget ? 'missed' : 'gross';
  return value >= budget ? 'met' : value >= budget / 2 ? 'missed' : 'gross';
}

// Every section adds its rows (row()); bench.mjs prints them and writes BENCHMARKS.md from them.
export const rows = [];
export function row(section, what, figure, budgetText, verdictText, note = '') {
  rows.push({ section, what, figure, budgetText, verdict: verdictText, note });
}
export const x = (r) => `${r.toFixed(2)}x`;
export const ms = (t) => `${t.toFixed(0)} ms`;
export const pct = (r) => `${(r * 100).toFixed(1)}%`;

export function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}
