#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ so that `ndr explain 5.7.1` and `ndr --help`
// load a few files instead of a hundred modules: start-up time is what users feel
// (BENCHMARKS.md). Commands stay separate chunks, imported only when run. The
// MIME parser is bundled into its own lazy chunk (one file instead of dozens of
// CommonJS modules); the prompts and DNS packets stay external and load from
// node_modules only in the commands that need them.
// dist/bundle/ sits at the same depth as src/<dir>/, so the relative URLs the
// modules use (../../package.json, ../../knowledge/, ../knowledge.json) still hold.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@inquirer/*', 'dns-packet', 'fast-check'],
  // commander is CommonJS; give its require() calls one to use inside an ES module.
  banner: { js: "import { createRequire as __ndrCreateRequire } from 'node:module'; const require = __ndrCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
