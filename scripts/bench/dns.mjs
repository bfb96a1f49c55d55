// 4. DNS round trips of `ndr check-mx` through a relay adding 100 ms to every answer of nsd.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NDR, QUICK, ROOT, ms, row, verdict } from './common.mjs';
import { benchEnv, median } from './harness.mjs';

const RTT_MS = 100;

export async function benchDns(h, tmp) {
  const sec = '4. DNS (check-mx, +100 ms per answer)';
  const help = spawnSync(process.execPath, [NDR, 'check-mx', '--help'], { cwd: ROOT });
  if (help.status !== 0) {
    row(sec, 'check-mx', 'not measured: check-mx not available', '<= 3 rounds', 'not measured');
    return null;
  }
  const zonesDir = join(tmp, 'zones');
  spawnSync('mkdir', ['-p', zonesDir]);
  for (const dir of [join(ROOT, 'test', 'fixtures', 'zones'), join(ROOT, 'scripts', 'bench', 'zones')]) {
    for (const f of readdirSync(dir)) if (f.endsWith('.zone')) copyFileSync(join(dir, f), join(zonesDir, f));
  }
  let nsd;
  try {
    nsd = await h.startNsd({ zonesDir });
  } catch (e) {
    row(sec, 'check-mx', `not measured: ${e.message.slice(0, 80)}`, '', 'not measured');
    return null;
  }
  // Two relays in front of the same nsd: one adds 100 ms to every answer, one adds nothing.
  // (wall with latency - wall without) / 100 ms counts the round trips alone, not start-up or work.
  const slow = await h.startDnsServer({ relay: { address: '127.0.0.1', port: nsd.port }, latencyMs: RTT_MS });
  const fast = await h.startDnsServer({ relay: { address: '127.0.0.1', port: nsd.port }, latencyMs: 0 });
  const checkMx = (nameserver, domain) =>
    new Promise((done) => {
      const t0 = process.hrtime.bigint();
      // Asynchronous spawn: the relays live in this process and must keep answering.
      execFile(
        process.execPath,
        [NDR, 'check-mx', '--json', '--timeout', '5', '--nameserver', nameserver, domain],
        { cwd: ROOT, env: benchEnv() },
        (err, stdout, stderr) => {
          const wall = Number(process.hrtime.bigint() - t0) / 1e6;
          const code = err?.code ?? 0;
          if (code === 4 || code === 2) return done({ error: `check-mx ${domain} exited ${code}: ${String(stderr).slice(0, 300)}` });
          let rounds = null;
          try {
            rounds = JSON.parse(stdout).rounds ?? null;
          } catch {
            /* not JSON: leave the reported count unknown */
          }
          done({ wall, rounds });
        },
      );
    });
  try {
    const runs = QUICK ? 1 : 5;
    const cases = [
      { what: 'ok.ndr-test.example (correct Exchange Online)', domain: 'ok.ndr-test.example', budget: 3 },
      { what: 'chain.ndr-bench.example (SPF include depth 3)', domain: 'chain.ndr-bench.example', budget: 3 + 2 },
    ];
    const out = [];
    for (const c of cases) {
      const slowTimes = [];
      const fastTimes = [];
      let reported = null;
      for (let i = 0; i < runs + 1; i++) {
        const a = await checkMx(fast.nameserver, c.domain);
        const b = await checkMx(slow.nameserver, c.domain);
        if (a.error || b.error) throw new Error(a.error ?? b.error);
        reported = b.rounds;
        if (i > 0) {
          // the first pair warms the page cache
          fastTimes.push(a.wall);
          slowTimes.push(b.wall);
        }
      }
      const wall = median(slowTimes);
      const base = median(fastTimes);
      const rounds = Math.max(0, wall - base) / RTT_MS;
      row(
        sec,
        c.what,
        `${ms(wall)} = ${(wall / RTT_MS).toFixed(1)} x 100 ms wall; ${rounds.toFixed(2)} round trips`,
        `<= ${c.budget} round trips`,
        verdict('max', rounds, c.budget),
        `same run without latency ${ms(base)}; ndr reports ${reported ?? '?'} rounds`,
      );
      out.push({ ...c, wall, base, rounds, reported });
    }
    return out;
  } finally {
    await slow.close();
    await fast.close();
    await nsd.stop();
  }
}
