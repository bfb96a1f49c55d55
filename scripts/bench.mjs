#!/usr/bin/env node
/**
 * npm run bench [-- --quick]: the speed users feel (issue 6).
 *
 *   1. cold start of `ndr explain <code>`, `ndr explain <file>`, `ndr --help` against `node -e 0`,
 *      from the checkout and from the package as users install it (npm pack, npm install -g)
 *   2. batch throughput of `ndr explain --json` over the corpus against sisimai (tracked, not a
 *      budget: 514 files are over before V8 has warmed up), with accuracy
 *   3. an mbox of 5,000 and 20,000 bounces: messages per second and peak RSS; the batch budget,
 *      at least 2x sisimai's messages per second, is judged here, on the 20,000 messages
 *      100,000 short bounces through a pipe to a slow reader: every line arrives, peak RSS
 *   4. `ndr check-mx` through a relay adding 100 ms to every answer of nsd: round trips
 *
 * Every figure is a ratio against a baseline measured in the same run (or a
 * plain budget); prints a table and writes BENCHMARKS.md (full mode only).
 * --quick (CI): fewer runs, the corpus once, a 2,000-message mbox (the batch
 * budget checked on it), DNS once; exits 1 only on a gross regression (worse
 * than twice a budget).
 * Run `npm run build` first (the bench runs bin/ndr.js as users do).
 *
 * One module a section, under scripts/bench/: common.mjs (paths, mode, verdicts, rows),
 * cold-start.mjs, batch.mjs, mbox.mjs, pipe.mjs, dns.mjs, report.mjs (table, BENCHMARKS.md).
 */
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { benchBatch } from './bench/batch.mjs';
import { benchColdStart } from './bench/cold-start.mjs';
import { QUICK, ROOT, rows, say } from './bench/common.mjs';
import { benchDns } from './bench/dns.mjs';
import { loadTsHelpers } from './bench/harness.mjs';
import { benchMbox } from './bench/mbox.mjs';
import { benchPipe } from './bench/pipe.mjs';
import { keptHistory, machine, markdown, table } from './bench/report.mjs';

async function main() {
  if (!existsSync(join(ROOT, 'dist'))) throw new Error('dist/ missing: run `npm run build` first');
  const m = machine();
  const tmp = mkdtempSync(join(tmpdir(), 'ndr-bench-'));
  try {
    const h = await loadTsHelpers();
    say(`ndr bench${QUICK ? ' (quick)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}`);
    if (m.extraCaCerts) say('NODE_EXTRA_CA_CERTS is set: removed for the commands measured (each Node start would parse a CA bundle)');
    benchColdStart(tmp);
    await benchBatch(h, tmp);
    benchMbox(h, tmp);
    await benchPipe(tmp);
    await benchDns(h, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const text = table(rows);
  process.stdout.write(
    `ndr bench${QUICK ? ' --quick' : ''}  ${m.date}  ${m.cpu} (${m.cores} cores), ${m.memoryGiB} GiB, Node ${m.node}\n${text}\n`,
  );
  const gross = rows.filter((r) => r.verdict === 'gross');
  const missed = rows.filter((r) => r.verdict === 'missed');
  const unmeasured = rows.filter((r) => r.verdict === 'not measured');
  process.stdout.write(
    `\nbudgets: ${rows.filter((r) => r.verdict === 'met').length} met, ${missed.length} missed, ${gross.length} gross${unmeasured.length ? `, ${unmeasured.length} not measured` : ''}\n`,
  );
  if (!QUICK) {
    const file = join(ROOT, 'BENCHMARKS.md');
    writeFileSync(file, markdown(m, rows) + keptHistory(file));
    say(`wrote ${relative(process.cwd(), join(ROOT, 'BENCHMARKS.md')) || 'BENCHMARKS.md'}`);
  }
  // Quick mode is for CI: only a gross regression fails it, so noise never blocks work;
  // and a budget CI cannot measure (sisimai or nsd missing) fails it too, rather than passing unseen.
  if (QUICK && (gross.length || unmeasured.length)) {
    for (const r of [...gross, ...unmeasured]) say(`bench: ${r.verdict}: ${r.what}: ${r.figure} (budget ${r.budgetText})`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
  process.exitCode = 2;
});
