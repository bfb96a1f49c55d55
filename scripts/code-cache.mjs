#!/usr/bin/env node
// The last build step: writes V8's code cache for dist/ (bin/code-cache.js
// says what it is for) from a run of `ndr explain` over the bundled example
// bounces, so that it holds the functions explaining a bounce compiles. Its
// output is discarded. Run by `npm run build` after scripts/bundle.mjs.
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { install, CACHE_DIR } = require('../bin/code-cache.js');

rmSync(CACHE_DIR, { recursive: true, force: true });
install({ write: true });
const { main } = require('../dist/bundle/main.js');
const sink = () => Object.assign(new PassThrough(), { isTTY: false });
const io = { stdout: sink(), stderr: sink(), stdin: Object.assign(new PassThrough(), { isTTY: false }), env: { NO_COLOR: '1' } };
io.stdout.resume();
io.stderr.resume();
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.eml'))
  .map((f) => join(ROOT, 'examples', f));
const code = await main(['explain', ...examples], io);
if (code !== 0) throw new Error(`code cache: ndr explain of the examples exited ${code}`);
process.on('exit', () => process.stderr.write(`code cache: ${readdirSync(CACHE_DIR).length} files in ${CACHE_DIR}\n`));
