#!/usr/bin/env node
/**
 * Context for the batch budget (scripts/bench/batch.mjs): `ndr explain --json
 * <folder>` run several times in one process, through ndr's own entry
 * (dist/bundle/main.js), its output to standard output as usual. The first
 * pass pays for loading the parser and for V8's warm-up (interpreted code,
 * regular expressions compiled on first use); later passes run the same work
 * warm. The pass times go to standard error as one JSON line.
 *
 *   node scripts/bench/passes.mjs <folder> [passes] > /dev/null
 */
import { performance } from 'node:perf_hooks';

const [folder, passes = '5'] = process.argv.slice(2);
if (!folder) {
  process.stderr.write('usage: passes.mjs <folder> [passes]\n');
  process.exit(2);
}
const { main } = await import(new URL('../../dist/bundle/main.js', import.meta.url).href);
const times = [];
for (let i = 0; i < Number(passes); i++) {
  const t0 = performance.now();
  const code = await main(['explain', '--json', folder]);
  times.push(performance.now() - t0);
  // 0: all explained; 1 and 3: some inputs were no bounce or unreadable, as in the corpus.
  if (![0, 1, 3].includes(code)) {
    process.stderr.write(`passes.mjs: ndr exited ${code}\n`);
    process.exit(2);
  }
}
process.stderr.write(`${JSON.stringify({ times })}\n`);
