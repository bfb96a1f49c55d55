#!/usr/bin/env node
/**
 * The installed package, as users get it (run by .ci/run; `node
 * scripts/test-installed.mjs [--node 20,22,24]`):
 *
 *   1. `npm pack` (the package's own prepack build), then `npm install -g
 *      --omit=dev` of the tarball into a temporary prefix; neither may print
 *      a warning, and the tarball must stay under 1 MB;
 *   2. the installed `ndr` command, on this machine's Node and on Node 22 and
 *      24 (the npm registry's `node` packages, through npx, which caches
 *      them): each case checks the exit code, what the output must say, and
 *      that it is byte for byte what the checkout's bin/ndr.js prints;
 *   3. that its first runs write the code cache the package does not ship, and
 *      that it never reads its YAML (each case again with the YAML files made
 *      invalid), as the build's compiled form is used.
 *
 * Exits 1 naming every failed case; 2 when it cannot run at all.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { loadTsHelpers } from './bench/harness.mjs';
import { packAndInstall, ROOT } from './pack-install.mjs';

const MAX_TARBALL_BYTES = 1_000_000;
const BOUNCE = join(ROOT, 'examples', 'bounce-5.1.10.eml');
const say = (s) => process.stderr.write(`${s}\n`);
const arg = process.argv.indexOf('--node');
const MAJORS = (arg > 0 ? process.argv[arg + 1] : '20,22,24').split(',').map(Number);

/** The `node` binary of a major version: this one, or the registry's `node` package through npx (cached by npm). */
function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  say(`fetching node@${major} from the npm registry (npx caches it)`);
  const r = spawnSync(
    'npx',
    ['-y', '--prefer-offline', '-p', `node@${major}`, '--', 'node', '-p', 'process.execPath + " " + process.version'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [path, version] = r.stdout.trim().split('\n').pop()?.split(' ') ?? [];
  if (r.status !== 0 || !version?.startsWith(`v${major}.`))
    throw new Error(`npx -p node@${major} did not give Node ${major} (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return path;
}

/**
 * The cases: argv after `ndr`, standard input, the exit code expected, and
 * what the output must contain (`out` on stdout, `err` on stderr; checked as
 * patterns). `same`: also byte for byte what the checkout prints.
 */
function cases(version, nameserver) {
  const bounceText = readFileSync(BOUNCE);
  return [
    { what: '--version', args: ['--version'], code: 0, out: [new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`)], same: true },
    { what: 'explain of a code', args: ['explain', '5.7.1'], code: 0, out: [/5\.7\.1/, /not authori[sz]ed/i], same: true },
    {
      what: 'explain of a code, JSON',
      args: ['explain', '--json', '5.1.10'],
      code: 0,
      json: (d) => d.findings?.[0]?.status === '5.1.10' && d.findings[0].entry?.id === 'recipient-not-found',
      same: true,
    },
    { what: 'explain of the bundled bounce', args: ['explain', BOUNCE], code: 0, out: [/5\.1\.10/, /tomas@fabrikam\.example/], same: true },
    {
      what: 'explain of standard input',
      args: ['explain', '--json', '-'],
      input: bounceText,
      code: 0,
      json: (d) =>
        d.findings?.[0]?.recipient === 'tomas@fabrikam.example' &&
        d.findings[0].status === '5.1.10' &&
        d.findings[0].entry?.id === 'recipient-not-found',
      same: true,
    },
    {
      what: 'explain of text with no code',
      args: ['explain', 'nothing to see here'],
      code: 1,
      err: [/^ndr: no status code/],
      errLines: 1,
      same: true,
    },
    { what: 'codes', args: ['codes'], code: 0, out: [/^5\.1\.10\b/m, /^5\.7\.1\b/m], same: true },
    { what: 'codes with a query', args: ['codes', 'relay'], code: 0, out: [/relay/i], same: true },
    {
      what: 'check-mx of a correct domain (nsd)',
      args: ['check-mx', '--json', '--nameserver', nameserver, 'ok.ndr-test.example'],
      code: 0,
      json: (d) =>
        d.domain === 'ok.ndr-test.example' &&
        d.checks?.find((c) => c.id === 'mx-records')?.status === 'pass' &&
        d.checks.every((c) => c.status !== 'fail' && c.status !== 'error'),
    },
    {
      what: 'check-mx of a domain without MX (nsd)',
      args: ['check-mx', '--json', '--nameserver', nameserver, 'nomx.ndr-test.example'],
      code: 5,
      json: (d) => d.domain === 'nomx.ndr-test.example' && d.checks?.find((c) => c.id === 'mx-records')?.status === 'fail',
    },
    { what: 'the wizard without a terminal', args: ['wizard'], code: 2, err: [/^ndr: the wizard needs a terminal/], errLines: 1 },
  ];
}

function run(cmd, args, { input, env }) {
  return spawnSync(cmd, args, {
    cwd: ROOT,
    env,
    input,
    encoding: 'utf8',
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/** What is wrong with one run of a case (empty: nothing). */
function problems(c, r, reference) {
  const out = [];
  if (r.error) return [`did not run: ${r.error.message}`];
  if (r.status !== c.code) out.push(`exit ${r.status ?? r.signal}, expected ${c.code}`);
  if (/\n\s+at .*:\d+:\d+\)?$/m.test(r.stderr)) out.push('a stack trace on stderr');
  for (const p of c.out ?? []) if (!p.test(r.stdout)) out.push(`stdout lacks ${p}`);
  for (const p of c.err ?? []) if (!p.test(r.stderr)) out.push(`stderr lacks ${p}`);
  if (c.errLines && r.stderr.trimEnd().split('\n').length !== c.errLines)
    out.push(`stderr has ${r.stderr.trimEnd().split('\n').length} lines, expected ${c.errLines}`);
  if (c.json) {
    let doc = null;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      out.push('stdout is not one JSON document');
    }
    if (doc !== null && !c.json(doc)) out.push(`JSON does not hold: ${c.json.toString().slice(5, 140)}`);
  }
  if (reference && r.stdout !== reference.stdout) out.push("stdout differs from the checkout's bin/ndr.js");
  return out;
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'ndr-installed-'));
  let nsd = null;
  const failures = [];
  try {
    say('packing (prepack builds) and installing the tarball with --omit=dev');
    const pkg = packAndInstall(tmp, { build: true });
    say(
      `tarball ${pkg.size} bytes, ${pkg.files.length} files (${pkg.unpackedSize} unpacked); ${pkg.installedPackages} packages installed with it`,
    );
    if (pkg.size >= MAX_TARBALL_BYTES) failures.push(`package: the tarball is ${pkg.size} bytes, the budget is under ${MAX_TARBALL_BYTES}`);
    for (const w of pkg.warnings) failures.push(`package: npm printed "${w}"`);
    const unwanted = pkg.files.filter(
      (f) =>
        !/^(bin\/|dist\/(bundle|cmd-[a-z-]+|shared|code-cache)\/|dist\/knowledge(\.json|-details\.jsonl)$|knowledge\/|README\.md$|LICENSE$|package\.json$)/.test(
          f,
        ),
    );
    if (unwanted.length)
      failures.push(`package: files that do not run: ${unwanted.slice(0, 5).join(', ')}${unwanted.length > 5 ? ', ...' : ''}`);

    const h = await loadTsHelpers();
    nsd = await h.startNsd({ zonesDir: join(ROOT, 'test', 'fixtures', 'zones') });
    const list = cases(pkg.version, nsd.nameserver);
    // The checkout's output, for the cases that must print the same.
    const baseEnv = { ...process.env, NO_COLOR: '1' };
    delete baseEnv.CI; // the wizard refuses under CI before it looks for a terminal
    const reference = new Map(
      list
        .filter((c) => c.same)
        .map((c) => [c, run(process.execPath, [join(ROOT, 'bin', 'ndr.js'), ...c.args], { input: c.input, env: baseEnv })]),
    );

    const runAll = (label, node) => {
      // The installed `ndr` command itself, found on PATH with this Node first, as a shell would.
      const env = { ...baseEnv, PATH: [join(pkg.prefix, 'bin'), dirname(node), process.env.PATH].join(delimiter) };
      const version = run('node', ['--version'], { env }).stdout.trim();
      let failed = 0;
      for (const c of list) {
        const r = run('ndr', c.args, { input: c.input, env });
        const p = problems(c, r, reference.get(c));
        if (p.length) {
          failed++;
          failures.push(
            `${label} (${version}): ndr ${c.args.join(' ')} (${c.what}): ${p.join('; ')}\n    stdout: ${r.stdout.slice(0, 200).replace(/\n/g, '\n            ')}\n    stderr: ${r.stderr.slice(0, 300)}`,
          );
        }
      }
      say(`${label} (${version}): ${list.length - failed} of ${list.length} cases as expected`);
    };

    const nodes = MAJORS.map((m) => [m, nodeBinary(m)]);
    for (const [m, node] of nodes) runAll(`Node ${m}`, node);
    // The package has no code cache; its first runs write one where they may (bin/code-cache.js).
    const caches = existsSync(join(pkg.pkgDir, 'dist', 'code-cache')) ? readdirSync(join(pkg.pkgDir, 'dist', 'code-cache')) : [];
    if (!caches.some((f) => f.endsWith('.v8'))) failures.push('package: no run of the installed ndr wrote a code cache');
    if (caches.some((f) => !f.endsWith('.v8')))
      failures.push(`package: stray files in the code cache: ${caches.filter((f) => !f.endsWith('.v8')).join(', ')}`);

    // The installed package must not read its YAML at run time (the build compiled it):
    // made invalid, every case still gives the same.
    for (const f of ['policy.yaml', 'recipient.yaml', 'routing.yaml', 'sending.yaml'])
      appendFileSync(join(pkg.pkgDir, 'knowledge', f), '\n: [this is not YAML\n');
    runAll(`Node ${nodes[0][0]}, the installed YAML made invalid`, nodes[0][1]);
  } finally {
    await nsd?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failures.length) {
    say(`\ninstalled package: ${failures.length} failure(s)`);
    for (const f of failures) say(`FAIL ${f}`);
    process.exitCode = 1;
  } else say('installed package: every case as expected');
}

main().catch((e) => {
  say(`test-installed: ${e.stack ?? e.message}`);
  process.exitCode = 2;
});
