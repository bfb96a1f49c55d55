// 3b. A pipe with a slow reader (issue 17): 100,000 short bounces, every line
// arrives, peak RSS.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NDR, ROOT, ms, row, say, verdict } from './common.mjs';
import { benchEnv } from './harness.mjs';

/**
 * The 100,000 short bounces of issue 17 (`ndr explain --json big.mbox | slow reader`):
 * every line must arrive and ndr must wait for the reader (peak RSS under 200 MB)
 * rather than queue its output in memory. The reader takes at most 40 MB/s, less
 * than ndr writes, and stops for a second at the start.
 */
export async function benchPipe(tmp) {
  const { writeShortBounces } = await import('./short-bounces.mjs');
  const n = 100_000;
  const path = join(tmp, `short-bounces-${n}.mbox`);
  writeShortBounces(path, n);
  say(`pipe: ${n} short bounces into a slow reader`);
  const t0 = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, NDR, 'explain', '--json', '--max-size', '4G', path], {
    cwd: ROOT,
    env: benchEnv({ NO_COLOR: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let bytes = 0;
  let stderr = '';
  const rate = 40 * 1024 * 1024;
  let started = 0;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.pause();
  setTimeout(() => {
    started = Date.now();
    child.stdout.resume();
  }, 1000);
  child.stdout.on('data', (d) => {
    bytes += d.length;
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    const ahead = (bytes / rate) * 1000 - (Date.now() - started);
    if (ahead > 5) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), ahead);
    }
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(path, { force: true });
  const errLines = stderr.trim().split('\n');
  const mb = Number(errLines[errLines.length - 1]) / 1024;
  const note = [
    `exit ${status}`,
    lines < n ? `only ${lines} of ${n} lines arrived` : `all ${n} lines, ${(bytes / 1024 ** 2).toFixed(0)} MiB`,
    status > 1 ? errLines.slice(-3, -1).join(' ').slice(0, 160) : '',
  ]
    .filter(Boolean)
    .join('; ');
  row(
    '3. scale (one mbox)',
    `${n} short bounces through a pipe, slow reader (40 MB/s)`,
    `${ms(wall)}, peak RSS ${mb.toFixed(0)} MB`,
    'all lines, RSS < 200 MB',
    lines === n && status === 0 ? verdict('max', mb, 200) : 'gross',
    note,
  );
}
