// V8's code cache for ndr's own bundle: each file of dist/ is compiled with
// the cache that `npm run build` wrote for it (dist/code-cache/, from a run
// over the bundled example bounce), so a start does not parse and compile
// the parser again; compiling dist/ was ~12 ms of explaining one bounce.
//
// A cache that does not fit (another Node or V8, a changed file) is refused
// by V8 itself, and the file is compiled from source as usual; so is a file
// without a cache, a file that uses import() (the vm module would need a
// loader for it), and anything when NDR_CODE_CACHE=0.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist') + path.sep;
const CACHE_DIR = path.join(DIST, 'code-cache');

/** The content hash scripts/bundle.mjs writes at the end of each file it builds. */
const BUILD_ID = /\/\/# ndrBuild=([0-9a-f]{16})\n$/;

/**
 * The cache file of a file in dist/ with this content, named for the hash
 * the build wrote into it (null without one): V8 checks a cache against the
 * source's length only, so a file rebuilt, even to the same length, must not
 * find the old cache; and a name from the content, not from file times,
 * survives packing and copying.
 */
function cacheFileOf(filename, content) {
  const id = BUILD_ID.exec(content.slice(-64));
  return id ? path.join(CACHE_DIR, `${path.relative(DIST, filename).split(path.sep).join('__')}.${id[1]}.v8`) : null;
}

/**
 * Compiles `content` (the CommonJS module at `filename`) with its cache, if
 * any; returns the module wrapper function, the script, and whether a cache
 * was found and V8 took it (`used`).
 */
function compileCached(content, filename, { useCache = true } = {}) {
  let cachedData;
  const cacheFile = useCache ? cacheFileOf(filename, content) : null;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // No cache for this build of the file: compiled from source.
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(content), { filename, cachedData });
  return { script, wrapper: script.runInThisContext({ displayErrors: true }), used: cachedData !== undefined && script.cachedDataRejected === false };
}

/**
 * Loads ndr's own modules through compileCached. With `write`, compiles
 * without caches and writes a cache for each module at exit, taken then so
 * that it holds the functions the run compiled (the build's training run).
 */
function install({ write = false } = {}) {
  if (process.env.NDR_CODE_CACHE === '0') return;
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(DIST) || content.includes('import(')) return compile.call(this, content, filename);
    const { script, wrapper } = compileCached(content, filename, { useCache: !write });
    if (write) compiled.push([cacheFileOf(filename, content), script]);
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  if (write) {
    process.on('exit', () => {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      for (const [cacheFile, script] of compiled) if (cacheFile) fs.writeFileSync(cacheFile, script.createCachedData());
    });
  }
}

module.exports = { install, compileCached, cacheFileOf, CACHE_DIR };
