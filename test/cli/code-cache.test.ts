/**
 * bin/code-cache.js: the build writes V8's code cache for dist/, a start
 * uses it, and a cache that does not fit is never used (the file is then
 * compiled from source, with the same output, and a new cache is written);
 * without the build's caches (the installed package) the first run writes them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { testTempDir } from '../helpers/tmp.js';

const EXAMPLE = join(ROOT, 'examples', 'bounce-5.1.10.eml');

/** Runs `node <root>/bin/ndr.js args` as a user would (plain node, so the same V8 flags as the build's run). */
function ndr(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ndr.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Which files of `root`/dist V8 takes the cache for, asked of the same code the bin uses. */
function acceptance(root: string, files: string[]): Record<string, boolean> {
  const script = `
    const { readFileSync } = require('node:fs');
    const { compileCached } = require(${JSON.stringify(join(root, 'bin', 'code-cache.js'))});
    const out = {};
    for (const f of ${JSON.stringify(files)}) out[f] = compileCached(readFileSync(f, 'utf8'), f).used;
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, boolean>;
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function copyOfBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ndr-cache-'));
  copies.push(dir);
  for (const part of ['bin', 'dist', 'knowledge', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const explainJs = (root: string) => join(root, 'dist', 'cmd-explain', 'explain.js');
const bounceJs = (root: string) => {
  // The bounce parser's chunk, named after src/explain/message.ts (parse + explain, loaded on the first message).
  const name = readdirSync(join(root, 'dist', 'cmd-explain')).find((f) => /^message-.*\.js$/.test(f));
  if (!name) throw new Error('no bounce parser chunk (message-*.js) in dist/cmd-explain');
  return join(root, 'dist', 'cmd-explain', name);
};

let reference: { code: number | null; stdout: string };
beforeAll(() => {
  const r = ndr(ROOT, ['explain', EXAMPLE], { NDR_CODE_CACHE: '0' });
  reference = { code: r.code, stdout: r.stdout };
  expect(reference.code).toBe(0);
});

describe('the code cache of the build', () => {
  it('has a cache for the explain command and the bounce parser, and V8 takes both', () => {
    expect(readdirSync(join(ROOT, 'dist', 'code-cache')).length).toBeGreaterThan(2);
    expect(acceptance(ROOT, [explainJs(ROOT), bounceJs(ROOT)])).toEqual({ [explainJs(ROOT)]: true, [bounceJs(ROOT)]: true });
  });

  it("compiles a built file's own wrapper function, in place; any other file wrapped as Node wraps it", async () => {
    const { createRequire } = await import('node:module');
    const { wrapperSource } = createRequire(import.meta.url)(join(ROOT, 'bin', 'code-cache.js')) as {
      wrapperSource: (content: string) => string;
    };
    const built = readFileSync(explainJs(ROOT), 'utf8');
    const own = wrapperSource(built);
    expect(own).toBe(built.slice(0, own.length));
    expect(own.endsWith('\n})')).toBe(true);
    // What follows is the call Node's own loader makes run, and the build's hash.
    expect(built.slice(own.length)).toMatch(/^\.call\(this,exports,require,module,__filename,__dirname\);\n\/\/# ndrBuild=[0-9a-f]{16}\n$/);
    const plain = 'module.exports = 42;\n';
    expect(wrapperSource(plain)).toBe((await import('node:module')).default.wrap(plain));
  });

  it('gives the same output as compiling from source', () => {
    const r = ndr(ROOT, ['explain', EXAMPLE]);
    expect(r).toMatchObject(reference);
  });

  it('is not used for a file built again with other content, even of the same length', () => {
    const root = copyOfBuild();
    const file = bounceJs(root);
    // A copy of the build keeps its caches: they are named for the files' content, not their times.
    expect(acceptance(root, [file])[file]).toBe(true);
    // Same length, other content, and the content hash a build writes for it: V8's own check
    // (the source's length) would let the old cache in; its name does not.
    const before = statSync(file).size;
    const text = readFileSync(file, 'utf8');
    const rebuilt = text.replace('"use strict";', "'use strict';").replace(/ndrBuild=[0-9a-f]{16}/, 'ndrBuild=0123456789abcdef');
    expect(rebuilt).not.toBe(text);
    writeFileSync(file, rebuilt);
    expect(statSync(file).size).toBe(before);
    expect(acceptance(root, [file])[file]).toBe(false);
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
  });

  it("is not looked for in a file without the build's content hash", () => {
    const root = copyOfBuild();
    const file = explainJs(root);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\/\/# ndrBuild=[0-9a-f]{16}\n$/, ''));
    expect(acceptance(root, [file])[file]).toBe(false);
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
  });

  it('is refused by V8 when it is damaged, and the output stays the same', () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    // Before they are damaged, the copy's caches are found and taken.
    expect(acceptance(root, [explainJs(root), bounceJs(root)])).toEqual({ [explainJs(root)]: true, [bounceJs(root)]: true });
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), Buffer.alloc(4096, 0x5a));
    expect(acceptance(root, [explainJs(root), bounceJs(root)])).toEqual({ [explainJs(root)]: false, [bounceJs(root)]: false });
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
  });

  it('is written by the first run where there is none (the installed package), and taken by the next', () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    expect(acceptance(root, [explainJs(root), bounceJs(root)])).toEqual({ [explainJs(root)]: false, [bounceJs(root)]: false });
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
    expect(readdirSync(cacheDir).filter((f) => !f.endsWith('.v8'))).toEqual([]);
    expect(acceptance(root, [explainJs(root), bounceJs(root)])).toEqual({ [explainJs(root)]: true, [bounceJs(root)]: true });
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
  });

  it('is written again by a run on a path the caches were not written on, with that path in it; a run on a known path writes nothing', () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    const explainCache = () => readdirSync(cacheDir).find((f) => f.startsWith('cmd-explain__explain.js.'));
    const sizes = () => Object.fromEntries(readdirSync(cacheDir).map((f) => [f, statSync(join(cacheDir, f)).size]));
    const times = () => Object.fromEntries(readdirSync(cacheDir).map((f) => [f, statSync(join(cacheDir, f)).mtimeMs]));
    // A code first (the bounce parser is not loaded), then a bounce: the command's cache grows by the bounce's path.
    expect(ndr(root, ['explain', '5.7.1']).code).toBe(0);
    const afterCode = sizes();
    expect(Object.keys(afterCode).some((f) => f.startsWith('cmd-explain__message-'))).toBe(false);
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
    const afterBounce = sizes();
    expect(Object.keys(afterBounce).some((f) => f.startsWith('cmd-explain__message-'))).toBe(true);
    expect(afterBounce[explainCache()!]).toBeGreaterThan(afterCode[explainCache()!]!);
    // Every module had its cache: nothing is written again.
    const before = times();
    expect(ndr(root, ['explain', '5.7.1']).code).toBe(0);
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
    expect(times()).toEqual(before);
  });

  it('is written again over one V8 refuses', () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), Buffer.alloc(4096, 0x5a));
    expect(ndr(root, ['explain', EXAMPLE])).toMatchObject(reference);
    expect(acceptance(root, [explainJs(root), bounceJs(root)])).toEqual({ [explainJs(root)]: true, [bounceJs(root)]: true });
  });

  it("is written in the user's cache folder when the package's cannot be written (a global install by root), and read from there", () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    // A file where the folder should be: nothing can be written there (root ignores permissions).
    writeFileSync(cacheDir, 'not a folder');
    const xdg = testTempDir('ndr-xdg-');
    const env = { XDG_CACHE_HOME: xdg };
    const r = ndr(root, ['explain', EXAMPLE], env);
    expect(r).toMatchObject(reference);
    expect(r.stderr).toBe('');
    expect(readFileSync(cacheDir, 'utf8')).toBe('not a folder');
    // One folder per V8, so that two Node versions do not overwrite each other's caches.
    const userDir = join(xdg, 'ndr', 'code-cache', process.versions.v8);
    const files = readdirSync(userDir);
    expect(files.some((f) => f.startsWith('cmd-explain__explain.js.'))).toBe(true);
    expect(files.some((f) => f.startsWith('cmd-explain__message-'))).toBe(true);
    // The next runs find every module's cache there and write nothing.
    const times = () => Object.fromEntries(readdirSync(userDir).map((f) => [f, statSync(join(userDir, f)).mtimeMs]));
    const before = times();
    expect(ndr(root, ['explain', '5.7.1'], env).code).toBe(0);
    expect(ndr(root, ['explain', EXAMPLE], env)).toMatchObject(reference);
    expect(times()).toEqual(before);
  });

  it('is left out when neither folder can be written, and the output stays the same', () => {
    const root = copyOfBuild();
    const cacheDir = join(root, 'dist', 'code-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    writeFileSync(cacheDir, 'not a folder');
    const notADir = join(testTempDir('ndr-xdg-'), 'file');
    writeFileSync(notADir, 'not a folder either');
    const r = ndr(root, ['explain', EXAMPLE], { XDG_CACHE_HOME: notADir });
    expect(r).toMatchObject(reference);
    expect(r.stderr).toBe('');
    expect(readFileSync(cacheDir, 'utf8')).toBe('not a folder');
    expect(readFileSync(notADir, 'utf8')).toBe('not a folder either');
  });

  it("takes the user's folder from XDG_CACHE_HOME when absolute, else from HOME", async () => {
    const { createRequire } = await import('node:module');
    const { userCacheDir } = createRequire(import.meta.url)(join(ROOT, 'bin', 'code-cache.js')) as {
      userCacheDir: (env: NodeJS.ProcessEnv) => string | null;
    };
    const v8 = process.versions.v8;
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(join('/x/cache', 'ndr', 'code-cache', v8));
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe(join('/home/u', '.cache', 'ndr', 'code-cache', v8));
    expect(userCacheDir({ HOME: '/home/u' })).toBe(join('/home/u', '.cache', 'ndr', 'code-cache', v8));
    expect(userCacheDir({})).toBeNull();
  });
});
