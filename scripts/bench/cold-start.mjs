// 1. Cold start of `ndr explain <code>`, `ndr explain <file>` and `ndr --help` against
// `node -e 0`, from the checkout and from the package as users install it.
import { packAndInstall } from '../pack-install.mjs';
import { NDR, QUICK, ROOT, ms, row, say, verdict, x } from './common.mjs';
import { timeInterleaved } from './harness.mjs';

export function benchColdStart(tmp) {
  const runs = QUICK ? 5 : 20;
  const warmup = QUICK ? 1 : 3;
  // The package as users get it: packed from this build, installed without devDependencies.
  say('cold start: npm pack, npm install -g --omit=dev into a temp prefix');
  const pkg = packAndInstall(tmp, { build: false });
  row(
    '1. cold start',
    'the package (npm pack)',
    `${(pkg.size / 1000).toFixed(0)} kB, ${pkg.files.length} files; ${pkg.installedPackages} packages installed with it`,
    '< 1000 kB',
    verdict('max', pkg.size / 1000, 1000),
    `${(pkg.unpackedSize / 1000).toFixed(0)} kB unpacked`,
  );
  say(`cold start: ${runs} runs each, in turns`);
  const cases = [
    { what: 'ndr explain 5.7.1', args: [NDR, 'explain', '5.7.1'], budget: 1.5 },
    { what: 'ndr explain examples/bounce-5.1.10.eml', args: [NDR, 'explain', 'examples/bounce-5.1.10.eml'], budget: 2 },
    { what: 'ndr --help', args: [NDR, '--help'], budget: null },
    // The installed package: its code cache is written by its first run (a warm-up run here), as for a user.
    { what: 'installed: ndr explain 5.7.1', args: [pkg.entry, 'explain', '5.7.1'], budget: 1.5 },
    { what: 'installed: ndr explain examples/bounce-5.1.10.eml', args: [pkg.entry, 'explain', 'examples/bounce-5.1.10.eml'], budget: 2 },
  ];
  const [base, ...results] = timeInterleaved(
    [['-e', '0'], ...cases.map((c) => c.args)].map((args) => ({ cmd: process.execPath, args })),
    { runs, warmup, cwd: ROOT, env: { NO_COLOR: '1' } },
  );
  row('1. cold start', 'node -e 0 (baseline)', ms(base.median), '', '', `min ${ms(base.min)}`);
  const out = { baseline: base.median, cases: [] };
  for (const [k, c] of cases.entries()) {
    const r = results[k];
    const ratio = r.median / base.median;
    row(
      '1. cold start',
      c.what,
      `${ms(r.median)} = ${x(ratio)}`,
      c.budget ? `<= ${c.budget}x` : '(none)',
      c.budget ? verdict('max', ratio, c.budget) : '',
      `min ${ms(r.min)}`,
    );
    out.cases.push({ ...c, median: r.median, ratio });
  }
  return out;
}
