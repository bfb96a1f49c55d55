// A small benchmark harness: warm-up runs, then repeated runs of a whole
// command, and the median. Ratios are taken against a baseline measured in the
// same run, because these machines are noisy and absolute times mean little.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The environment every measured command runs with: ours, without
 * NODE_EXTRA_CA_CERTS. Set (as on the machines these runs are made on), it
 * makes every Node process parse a whole CA bundle at start, ~40 ms here,
 * which a user's `ndr` does not pay and which would hide ndr's own start-up
 * cost in the ratio against `node -e 0`.
 */
export function benchEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Exit codes that mean "ran to the end" for the command measured; anything else is a broken benchmark. */
const OK_STATUS = new Set([0, 1]);

function timeOnce(cmd, args, { input, env, cwd, okStatus = OK_STATUS } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    input,
    env: benchEnv(env),
    cwd,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!okStatus.has(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

const summary = (times) => ({ times, median: median(times), min: Math.min(...times), max: Math.max(...times) });

/** Runs `cmd args` `warmup` + `runs` times; returns wall-clock milliseconds of the measured runs. */
export function timeCommand(cmd, args, { runs = 15, warmup = 3, ...options } = {}) {
  return timeInterleaved([{ cmd, args }], { runs, warmup, ...options })[0];
}

/**
 * Times several commands in turns (one run of each, then the next round), so
 * that a baseline and the commands compared with it see the same machine: on
 * a shared machine the speed drifts over seconds, and blocks of runs one
 * command after another would turn that drift into a ratio.
 */
export function timeInterleaved(commands, { runs = 15, warmup = 3, ...options } = {}) {
  const times = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    commands.forEach((c, k) => {
      const ms = timeOnce(c.cmd, c.args, { ...options, ...c.options });
      if (i >= warmup) times[k].push(ms);
    });
  }
  return times.map(summary);
}

/**
 * Runs once under GNU time (%M: peak resident set, KiB) and returns
 * { ms, maxRssKb, status, stderr }. Standard output goes to `stdoutFile`
 * (so a large output is not held by the benchmark itself); `input` is
 * written to the command's standard input.
 */
export function timeWithRss(cmd, args, { env, cwd, input, stdoutFile } = {}) {
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
      env: benchEnv(env),
      cwd,
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', out, 'pipe'],
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const lines = String(r.stderr).trim().split('\n');
    const maxRssKb = Number(lines[lines.length - 1]);
    return { ms, maxRssKb, status: r.status, stderr: lines.slice(0, -1).join('\n') };
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}

/** `runs` runs of timeWithRss; the median time, the largest peak RSS, and the last run's result. */
export function repeatWithRss(cmd, args, { runs = 3, ...options } = {}) {
  return repeatWithRssInterleaved([{ cmd, args, options }], { runs })[0];
}

/**
 * repeatWithRss of several commands in turns (see timeInterleaved). With
 * `alternate`, every other turn runs them in the reverse order, so that no
 * command always runs right after another (on this VM the run that follows a
 * long one is slower: a fixed order turns that into a ratio).
 */
export function repeatWithRssInterleaved(commands, { runs = 3, alternate = false } = {}) {
  const results = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    const order = commands.map((_, k) => k);
    if (alternate && i % 2 === 1) order.reverse();
    for (const k of order) results[k][i] = timeWithRss(commands[k].cmd, commands[k].args, commands[k].options);
  }
  return results.map((rs) => {
    const last = rs[rs.length - 1];
    return { ...last, times: rs.map((r) => r.ms), median: median(rs.map((r) => r.ms)), maxRssKb: Math.max(...rs.map((r) => r.maxRssKb)) };
  });
}

/**
 * The TypeScript pieces of the tests and `npm run corpus` that the scripts
 * reuse (scripts/bench/ts-helpers.ts: nsd, the DNS relay, the corpus
 * scoring), bundled with esbuild (a devDependency) into node_modules/.cache.
 */
export async function loadTsHelpers() {
  const { build } = await import('esbuild');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const outfile = join(root, 'node_modules', '.cache', 'ndr-bench', 'ts-helpers.mjs');
  await build({
    entryPoints: [join(root, 'scripts', 'bench', 'ts-helpers.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}
