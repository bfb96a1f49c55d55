#!/usr/bin/env node
// Bundles the CLI into dist/ so that `ndr explain 5.7.1` and `ndr --help` load
// a few files instead of a hundred modules: start-up time is what users feel
// (BENCHMARKS.md).
//
// - dist/bundle/main.js: the entry (bin/ndr.js imports it) with the option
//   table; commander (dist/shared/) is loaded only when a command needs it.
// - dist/cmd-explain/explain.js: `explain`, the command whose start-up is
//   measured, built on its own and imported by main.js only when it runs. One
//   build over all commands cut the code they share into a dozen small chunks,
//   each one more file to resolve, read and link on every start (~20 ms of
//   `explain 5.7.1`). Apart, and with the chunks its entry needs at every
//   start folded into the entry's file (foldStaticChunks below), its start
//   is one file; what only some inputs need (prose, a message, --check)
//   stays in lazy chunks beside it. It has its own copy of the error classes; errors carry their exit kind as data
//   (src/core/errors.ts), so the one catch in main.ts reads any copy alike.
// - dist/cmd-other/<name>.js: every other command, from one build, so that
//   the code they share (the bounce parser, the DNS checks, the YAML loader)
//   is packed once for them, not once per command.
// - Inside a command, what only some runs need stays a lazy chunk: the bounce
//   parser (not needed for `explain 5.7.1`), the DNS checks (`--check`), and
//   mailparser (one chunk, loaded only for HTML bounces and rare charsets).
//   The prompts and DNS packets stay external, loaded from node_modules only
//   by the commands that need them (they are package.json's `dependencies`).
// - dist/shared/<package>.js: the other packages, each bundled once on its
//   own and required by every command that uses it (SHARED below), so that no
//   package is packed twice: mailparser alone is 1.6 MB, and built into each
//   command it was in two of them. ndr's own modules, small, are still copied
//   into each command that uses them (one or two files per start, above).
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
for (const dir of readdirSync('dist'))
  if (dir === 'bundle' || dir === 'code-cache' || dir === 'shared' || dir.startsWith('cmd-'))
    rmSync(`dist/${dir}`, { recursive: true, force: true });

/** Packages built once into dist/shared/ and loaded from there by every command that imports them. */
const SHARED = ['mailparser', 'yaml', 'chalk', 'commander', '@eslint-community/regexpp'];
/** A shared package's file in dist/shared/: its name without the npm scope. */
const fileOf = (pkg) => pkg.replace(/^@[^/]+\//, '');

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@inquirer/*', 'dns-packet', 'fast-check'],
  // Blanks and comments out, shorter syntax and short local names: less to read at each start
  // and to pack (the tarball must stay under 1 MB: scripts/test-installed.mjs; short names took
  // ~20 kB off it). ndr prints no stack traces (an internal error is one line); for a profile
  // with the functions' names, build with NDR_KEEP_NAMES=1.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: process.env.NDR_KEEP_NAMES !== '1',
  logLevel: 'warning',
};

/** Built on its own (above); the other commands share one build. */
const APART = ['explain'];
const dirOf = (name) => (APART.includes(name) ? `cmd-${name}` : 'cmd-other');

/** main.ts imports './commands/<name>.js': point it at that command's build. */
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
      const name = args.path.slice('./commands/'.length, -'.js'.length);
      return COMMANDS.includes(name) ? { path: `../${dirOf(name)}/${name}.js`, external: true } : undefined;
    });
  },
};

/** An import of a SHARED package: the one copy in dist/shared/ (every output dir is one level below dist/). */
const sharedPackages = {
  name: 'shared-packages',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${SHARED.join('|')})$`) }, (args) => ({
      path: `../shared/${fileOf(args.path)}.js`,
      external: true,
    }));
  },
};

/**
 * The phrase table's literals: the copy scripts/build-kb.mjs computed into
 * dist/, not the empty table of the source (src/knowledge/reason-literals.ts).
 */
const precomputed = {
  name: 'precomputed-literals',
  setup(b) {
    b.onResolve({ filter: /^\.\/reason-literals\.js$/ }, () => ({ path: join(process.cwd(), 'dist/knowledge/reason-literals.js') }));
    b.onResolve({ filter: /^\.\/exchange-words\.js$/ }, () => ({ path: join(process.cwd(), 'dist/bounce/exchange-words.js') }));
  },
};

await build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: 'dist/bundle', plugins: [commandsApart, sharedPackages, precomputed] });
const source = (name) => `src/cli/commands/${name}.ts`;
await Promise.all(
  APART.map((name) =>
    build({ ...common, entryPoints: [source(name)], outdir: `dist/${dirOf(name)}`, plugins: [sharedPackages, precomputed] }),
  ),
);
await build({
  ...common,
  entryPoints: COMMANDS.filter((n) => !APART.includes(n)).map(source),
  outdir: 'dist/cmd-other',
  plugins: [sharedPackages, precomputed],
});
// Each shared package as one CommonJS file (ESM-only packages too: chalk).
await build({
  ...common,
  splitting: false,
  format: 'cjs',
  minify: true,
  entryPoints: Object.fromEntries(SHARED.map((p) => [fileOf(p), p])),
  outdir: 'dist/shared',
});

/**
 * Turns every chunk of `dir` into CommonJS: static imports become require(),
 * import() of our own chunks becomes a require() inside a promise (import()
 * would load the ESM loader even for a CommonJS file), import() of packages
 * stays (the prompts are ES modules), import.meta.url is the file's URL and
 * import.meta.dirname its folder.
 */
async function commonjsOutput(dir) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const path = join(dir, file);
    // import.meta.url: computed only when read (pathToFileURL costs at every start); import.meta.dirname: __dirname.
    const esm = readFileSync(path, 'utf8')
      .replace(/\bimport\("(\.{1,2}\/[^"]+\.js)"\)/g, (_m, spec) => `Promise.resolve().then(() => require(${JSON.stringify(spec)}))`)
      .replace(/\bimport\.meta\.url\b/g, '__ndrUrl()')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname');
    const url = esm.includes('__ndrUrl()');
    const { code } = await transform(esm, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minifyWhitespace: true,
      minifySyntax: true,
      banner: url ? "var __ndrUrl = () => require('node:url').pathToFileURL(__filename).href;" : '',
      logLevel: 'warning',
    });
    if (/\bimport\.meta\b/.test(code)) throw new Error(`${path}: import.meta left after the CommonJS conversion`);
    writeFileSync(path, asciiOnly(code, path));
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
}

/**
 * The code with every character outside ASCII written as a \\u escape.
 * esbuild leaves them in regular expressions (the Exchange phrases' "på",
 * "zurückgegeben" ...), and one such character makes Node read the whole file
 * as a two-byte string: twice the memory and a slower read and scan at every
 * start. A \\u escape means the same character in a string, a regular
 * expression (with or without the u flag) and an identifier; only a raw
 * template (String.raw) would keep the backslash, and a backslash before such
 * a character would escape the escape: either fails the build.
 */
function asciiOnly(code, path) {
  if (/String\.raw`[^`]*[^\x00-\x7f]/.test(code)) throw new Error(`${path}: a String.raw template holds a character outside ASCII`);
  if (/\\[^\x00-\x7f]/.test(code)) throw new Error(`${path}: a backslash before a character outside ASCII`);
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A require() of one of our own files in the same folder (static, or inside a lazy import's promise). */
const OWN_REQUIRE = /\brequire\("\.\/([^"]+\.js)"\)/g;
/** A static one: not inside `Promise.resolve().then(()=>require(...))`. */
const STATIC_REQUIRE = /(?<!then\(\(\)=>)\brequire\("\.\/([^"]+\.js)"\)/g;

/**
 * Folds the chunks that `entry` requires statically, and those they require,
 * into `entry`'s own file: every run of the command loads them all, and each
 * was one more file to resolve, read, stat and compile at each start (~0.4 ms
 * each; eight of them for `ndr explain 5.7.1`). A folded chunk runs as it did,
 * once, when first required, with its own __filename; the other files of the
 * folder (the command's lazy chunks) reach it through the entry's exports
 * (`__ndrFolded`), so that each module still exists once.
 */
function foldStaticChunks(dir, entry) {
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  const folded = [];
  for (const queue = [entry]; queue.length;) {
    for (const [, dep] of read(queue.shift()).matchAll(STATIC_REQUIRE)) {
      if (dep !== entry && !folded.includes(dep)) {
        folded.push(dep);
        queue.push(dep);
      }
    }
  }
  if (!folded.length) return;
  const to = (inEntry) => (m, dep) =>
    folded.includes(dep) ? `${inEntry ? '' : `require(${JSON.stringify(`./${entry}`)}).`}__ndrFolded(${JSON.stringify(`./${dep}`)})` : m;
  const bodies = folded.map(
    (f) => `${JSON.stringify(`./${f}`)}:function(exports,require,module,__filename,__dirname){${read(f).replace(OWN_REQUIRE, to(true))}\n}`,
  );
  const loader =
    `var __ndrFoldedBodies={${bodies.join(',')}},__ndrFoldedModules={};` +
    'function __ndrFolded(id){var m=__ndrFoldedModules[id];if(m)return m.exports;m=__ndrFoldedModules[id]={exports:{}};' +
    '__ndrFoldedBodies[id].call(m.exports,m.exports,require,m,require("node:path").join(__dirname,id),__dirname);return m.exports}';
  const exported = 'Object.defineProperty(module.exports,"__ndrFolded",{value:__ndrFolded});';
  writeFileSync(join(dir, entry), `${loader}\n${read(entry).replace(OWN_REQUIRE, to(true))}\n${exported}\n`);
  for (const f of folded) rmSync(join(dir, f));
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js') && n !== entry))
    writeFileSync(join(dir, f), read(f).replace(OWN_REQUIRE, to(false)));
}

/**
 * Each file wrapped in the function Node would wrap it in, called at once
 * (so Node's own loader runs it as before), and its content hash, last:
 * bin/code-cache.js names a file's code cache by the hash, and compiles the
 * function expression as it stands in the file, without the copy of the whole
 * source that wrapping it again makes (~300 KB of young garbage per start,
 * one scavenge more for a bounce).
 */
function stampBuildIds(dir) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const code = `(function(exports,require,module,__filename,__dirname){${readFileSync(join(dir, file), 'utf8')}\n})${SELF_CALL}`;
    writeFileSync(join(dir, file), `${code}//# ndrBuild=${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n`);
  }
}

/** What follows the wrapper function in a built file (bin/code-cache.js looks for it). */
const SELF_CALL = '.call(this,exports,require,module,__filename,__dirname);\n';

for (const dir of readdirSync('dist')) {
  if (dir !== 'bundle' && dir !== 'shared' && !dir.startsWith('cmd-')) continue;
  await commonjsOutput(join('dist', dir));
  // A command built on its own: what its entry loads at every start, in one file.
  if (APART.some((name) => dir === dirOf(name)))
    for (const name of APART) if (dirOf(name) === dir) foldStaticChunks(join('dist', dir), `${name}.js`);
  stampBuildIds(join('dist', dir));
}
