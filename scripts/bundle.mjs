#!/usr/bin/env node
// Bundles the CLI into dist/ so that `ndr explain 5.7.1` and `ndr --help` load
// a few files instead of a hundred modules: start-up time is what users feel
// (BENCHMARKS.md).
//
// - dist/bundle/main.js: the entry (bin/ndr.js imports it) with the option
//   table; commander is a lazy chunk beside it.
// - dist/cmd-<name>/<name>.js: each command built on its own and imported by
//   main.js only when it runs. One build over all commands cut the code they
//   share into a dozen small chunks, each one more file to resolve, read and
//   link on every start (~20 ms of `explain 5.7.1`). Apart, a command's start
//   is one or two files. Each command then has its own copy of the error
//   classes; errors carry their exit kind as data (src/core/errors.ts), so the
//   one catch in main.ts reads any copy alike.
// - Inside a command, what only some runs need stays a lazy chunk: the bounce
//   parser (not needed for `explain 5.7.1`), the DNS checks (`--check`), and
//   mailparser (one chunk, loaded only for HTML bounces and rare charsets).
//   The prompts and DNS packets stay external, loaded from node_modules only
//   by the commands that need them.
// - The output is CommonJS. esbuild splits code only in ESM, so the chunks are
//   built as ESM and then each is turned into CommonJS (commonjsOutput below),
//   with import() of our own chunks made into require(). Loading ES modules
//   brings in Node's ESM loader (module jobs, URL resolution, asynchronous
//   reads through fs/promises and what it loads): ~10-13 ms of every start here.
//   bin/ndr.js is CommonJS too (bin/package.json, dist/*/package.json say so).
// Every output sits at the depth of src/<dir>/, so the relative URLs the
// modules use (../../package.json, ../../knowledge/, ../knowledge.json) hold.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, transform } from 'esbuild';

const COMMANDS = readdirSync('src/cli/commands')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));

// The code cache (scripts/code-cache.mjs) belongs to the files built here: it goes with them.
for (const dir of readdirSync('dist')) if (dir === 'bundle' || dir === 'code-cache' || dir.startsWith('cmd-')) rmSync(`dist/${dir}`, { recursive: true, force: true });

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@inquirer/*', 'dns-packet', 'fast-check'],
  logLevel: 'warning',
};

/** main.ts imports './commands/<name>.js': point it at that command's own build. */
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
      const name = args.path.slice('./commands/'.length, -'.js'.length);
      return COMMANDS.includes(name) ? { path: `../cmd-${name}/${name}.js`, external: true } : undefined;
    });
  },
};

await build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: 'dist/bundle', plugins: [commandsApart] });
await Promise.all(COMMANDS.map((name) => build({ ...common, entryPoints: [`src/cli/commands/${name}.ts`], outdir: `dist/cmd-${name}` })));

/**
 * Turns every chunk of `dir` into CommonJS: static imports become require(),
 * import() of our own chunks becomes a require() inside a promise (import()
 * would load the ESM loader even for a CommonJS file), import() of packages
 * stays (the prompts are ES modules), and import.meta.url is the file's URL.
 */
async function commonjsOutput(dir) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const path = join(dir, file);
    const esm = readFileSync(path, 'utf8').replace(/\bimport\("(\.{1,2}\/[^"]+\.js)"\)/g, (_m, spec) => `Promise.resolve().then(() => require(${JSON.stringify(spec)}))`);
    const url = esm.includes('import.meta.url');
    const { code } = await transform(esm, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      define: url ? { 'import.meta.url': '__ndrUrl' } : {},
      banner: url ? "var __ndrUrl = require('node:url').pathToFileURL(__filename).href;" : '',
      logLevel: 'warning',
    });
    if (/\bimport\.meta\b/.test(code)) throw new Error(`${path}: import.meta left after the CommonJS conversion`);
    // The file's own content hash, last: bin/code-cache.js names a file's code cache by it.
    writeFileSync(path, `${code}//# ndrBuild=${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n`);
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
}

for (const dir of readdirSync('dist')) if (dir === 'bundle' || dir.startsWith('cmd-')) await commonjsOutput(join('dist', dir));
