// Packs this checkout as `npm publish` would and installs the tarball the way
// README tells users to (`npm install -g`, without devDependencies) into a
// prefix of its own: what scripts/test-installed.mjs and `npm run bench` run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Lines of npm's output a user would have to read: warnings and errors. */
const npmWarnings = (text) => text.split('\n').filter((l) => /^npm (warn|WARN|error|ERR)/.test(l));

function npm(args, { cwd = ROOT, env = process.env } = {}) {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return r;
}

/**
 * `npm pack` into `dir`, then `npm install -g --omit=dev` of the tarball into
 * `dir`/prefix. `build` false packs the build already in dist/ (the bench,
 * after `npm run build`); true runs the package's own `prepack` build, as a
 * publish does. Returns where things are and what npm said.
 */
export function packAndInstall(dir, { build = true } = {}) {
  const pack = npm(['pack', '--json', '--pack-destination', dir, ...(build ? [] : ['--ignore-scripts'])]);
  // The build's own output comes first on standard output; npm's JSON is the last thing on it.
  const info = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[') + 1))[0];
  const tarball = join(dir, info.filename);
  const prefix = join(dir, 'prefix');
  // A user's npm settings (a global prefix, say) must not leak in; npm's cache is shared, as for a user.
  const env = { ...process.env, npm_config_prefix: prefix, npm_config_global: 'true' };
  delete env.npm_config_omit;
  const install = npm(['install', '-g', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', tarball], { cwd: dir, env });
  const pkgDir = join(prefix, 'lib', 'node_modules', info.name);
  return {
    tarball,
    size: info.size,
    unpackedSize: info.unpackedSize,
    files: info.files.map((f) => f.path),
    prefix,
    pkgDir,
    /** The `ndr` command npm linked (runs on the first `node` on PATH). */
    bin: join(prefix, 'bin', 'ndr'),
    /** The installed package's entry, to run with a given `node`. */
    entry: join(pkgDir, 'bin', 'ndr.js'),
    /** Packages npm put under the installed package: its runtime dependencies and theirs. */
    installedPackages: countPackages(join(pkgDir, 'node_modules')),
    warnings: [...npmWarnings(pack.stderr), ...npmWarnings(install.stderr)],
    version: JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version,
  };
}

function countPackages(dir) {
  let n = 0;
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) n += countPackages(join(dir, name));
    else n += 1 + countPackages(join(dir, name, 'node_modules'));
  }
  return n;
}
