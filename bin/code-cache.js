// V8's code cache for ndr's own bundle: each file of dist/ is compiled with
// the cache written for it (dist/code-cache/), so a start does not parse and
// compile the parser again; compiling dist/ was ~12 ms of explaining one
// bounce.
//
// `npm run build` writes the caches of a checkout from a run over the bundled
// example bounce. The package does not ship them (a cache fits only the V8
// that wrote it, rarely the user's): there, the first run that loads a file
// without a cache writes one at exit, in the package's folder when the user
// may write it, else in the user's own cache folder (a global install by root,
// run by another user: $XDG_CACHE_HOME or ~/.cache, then ndr/code-cache/<V8
// version>/), where the next run looks when the package's folder has none.
//
// A cache that does not fit (another Node or V8, a changed file) is refused
// by V8 itself, the file is compiled from source as usual, and a new cache is
// written; a file without the build's content hash, a file that uses import()
// (the vm module would need a loader for it), and anything when
// NDR_CODE_CACHE=0 go without.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist') + path.sep;
const CACHE_DIR = path.join(DIST, 'code-cache');

/**
 * The user's own folder for the caches, used when the package's is not
 * theirs to write: one per V8 version, so that switching Node versions does
 * not make each run refuse and rewrite the other's caches; null without a
 * home (or an absolute XDG_CACHE_HOME).
 */
function userCacheDir(env = process.env) {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : process.platform === 'win32'
        ? env.LOCALAPPDATA
        : env.HOME && path.join(env.HOME, '.cache');
  return base ? path.join(base, 'ndr', 'code-cache', process.versions.v8) : null;
}

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
  if (!id) return null;
  // A file below dist/ (the only ones compiled here): its path from there, without path.relative's work.
  const inDist = filename.startsWith(DIST) ? filename.slice(DIST.length) : path.relative(DIST, filename);
  return `${CACHE_DIR}${path.sep}${inDist.split(path.sep).join('__')}.${id[1]}.v8`;
}

/** What follows the wrapper function in a file scripts/bundle.mjs built (it says why). */
const SELF_CALL = '\n}).call(this,exports,require,module,__filename,__dirname);\n//# ndrBuild=';

/**
 * The module wrapper's source: a built file's own function expression (a
 * slice of `content`, which V8 reads in place), else the content wrapped as
 * Node wraps it (a new string: a copy of the whole source).
 */
function wrapperSource(content) {
  const at = content.lastIndexOf(SELF_CALL);
  return at >= 0 && content.startsWith('(function(exports,require,module,__filename,__dirname){')
    ? content.slice(0, at + 3)
    : Module.wrap(content);
}

/**
 * Compiles `content` (the CommonJS module at `filename`) with its cache, if
 * any: the package's, else the one in `userDir`; returns the module wrapper function, the script, its cache file (null
 * without the build's hash), and whether a cache was found and V8 took it
 * (`used`).
 */
function compileCached(content, filename, { useCache = true, userDir = null } = {}) {
  let cachedData;
  const cacheFile = cacheFileOf(filename, content);
  if (cacheFile && useCache)
    cachedData = readCache(cacheFile) ?? (userDir ? readCache(path.join(userDir, path.basename(cacheFile))) : undefined);
  const script = new vm.Script(wrapperSource(content), { filename, cachedData });
  return {
    script,
    cacheFile,
    wrapper: script.runInThisContext({ displayErrors: true }),
    used: cachedData !== undefined && script.cachedDataRejected === false,
  };
}

/** A cache file's bytes, or undefined when there is none (this build of the file has no cache there). */
function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes each script's cache into `dir`, taken now so that it holds the
 * functions the run compiled; each file is written whole under another name,
 * then renamed (two runs at once never leave half a cache). Throws when the
 * folder cannot be made or written.
 */
function writeCachesIn(dir, list) {
  fs.mkdirSync(dir, { recursive: true });
  fs.accessSync(dir, fs.constants.W_OK);
  for (const [cacheFile, script] of list) {
    const target = path.join(dir, path.basename(cacheFile));
    const part = `${target}.${process.pid}.part`;
    try {
      fs.writeFileSync(part, script.createCachedData());
      fs.renameSync(part, target);
    } finally {
      fs.rmSync(part, { force: true });
    }
  }
}

/**
 * Writes the caches in the package's folder, else in the user's (userDir);
 * `strict` (the build) writes the package's or throws. A run that can write
 * neither goes without: a cache is a speed-up, never a reason to fail.
 */
function writeCaches(list, strict, userDir) {
  try {
    writeCachesIn(CACHE_DIR, list);
    return;
  } catch (e) {
    if (strict) throw e;
  }
  try {
    if (userDir) writeCachesIn(userDir, list);
  } catch {
    // Neither folder can be written: no cache.
  }
}

/**
 * The `require` of a module compiled here, as Node's loader gives it (relative
 * to the module, with resolve, cache and main): Module.createRequire would
 * build a second module object and its search paths for every file.
 */
function requireOf(mod) {
  const req = (id) => mod.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  req.main = require.main;
  req.cache = Module._cache;
  return req;
}

/**
 * Loads ndr's own modules through compileCached and, at exit, writes the
 * caches when one of them had none or had one V8 refused: that run took a
 * path no cache was written on (the installed package's first `explain` of a
 * bounce after its first `explain 5.7.1`), so the caches of every module it
 * loaded are written again, with the functions this path compiled as well as
 * those of the caches it read; a run whose modules all had their cache writes
 * nothing. With `write` (the build's run), compiles without caches and writes
 * one for every module.
 */
function install({ write = false } = {}) {
  if (process.env.NDR_CODE_CACHE === '0') return;
  const loaded = [];
  let missing = false;
  const userDir = write ? null : userCacheDir();
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(DIST) || content.includes('import(')) return compile.call(this, content, filename);
    const { script, wrapper, cacheFile, used } = compileCached(content, filename, { useCache: !write, userDir });
    if (cacheFile) {
      loaded.push([cacheFile, script]);
      if (write || !used) missing = true;
    }
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, path.dirname(filename));
  };
  process.on('exit', () => {
    if (missing) writeCaches(loaded, write, userDir);
  });
}

module.exports = { install, compileCached, cacheFileOf, wrapperSource, userCacheDir, CACHE_DIR };
