import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
export { BUNDLED_KB_DIR, COMPILED_KB_DETAILS_FILE, COMPILED_KB_FILE, kbFiles } from './paths.js';
import { InputError, KbValidationError } from '../core/errors.js';
import { guardPatterns } from './guarded-pattern.js';
import { MAX_KB_FILES, MAX_KB_PROBLEMS_KEPT } from './kb-limits.js';
import { crossCheck, MAX_KB_FILE_BYTES, validateKbFile, validateRegistry, type Problem } from './validate.js';
import { loadCompiledKb } from './bundled.js';
import { BUNDLED_KB_DIR, kbFiles, REGISTRY_FILE } from './paths.js';
import type { KbEntry, KnowledgeBase } from './types.js';

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a knowledge-base file that may come from anyone: only a regular file
 * (a link to one is fine), opened without blocking so a FIFO cannot hang the
 * open, checked again on the open descriptor, and read with the size counted
 * as it grows (a device reports size 0). Problems are collected, not thrown.
 */
function readText(path: string, display: string, problems: Problem[]): string | null {
  const refuse = (message: string) => {
    problems.push({ file: display, line: 1, key: '(file)', message });
    return null;
  };
  let fd: number | null = null;
  try {
    const st = statSync(path);
    if (!st.isFile()) return refuse(`${kindOf(st)}, not a regular file: not read`);
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const opened = fstatSync(fd);
    if (!opened.isFile()) return refuse(`${kindOf(opened)}, not a regular file: not read`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_KB_FILE_BYTES) return refuse(`larger than ${MAX_KB_FILE_BYTES} bytes: not read`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return refuse(err.code ? `cannot be read (${err.code})` : err.message);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The YAML files of an organisation's directory (--kb, NDR_KB): a missing or
 * unreadable directory, or one that is not a directory, is an input error.
 */
function extraKbFiles(dir: string): string[] {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`knowledge base ${dir}: not a directory`);
    files = kbFiles(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `knowledge base ${dir}: ${code === 'ENOENT' ? 'no such directory' : `cannot be read (${code ?? (e as Error).message})`}`,
    );
  }
  if (files.length > MAX_KB_FILES)
    throw new InputError(`knowledge base ${dir}: ${files.length} YAML files, more than the ${MAX_KB_FILES} read from one directory`);
  return files;
}

/** Reads and validates entry files; problems are collected, not thrown. */
export function readEntries(files: string[], base: string, problems: Problem[]): KbEntry[] {
  const entries: KbEntry[] = [];
  for (const [i, file] of files.entries()) {
    if (problems.length >= MAX_KB_PROBLEMS_KEPT) {
      problems.push({
        file: relative(base, file) || file,
        line: 1,
        key: '(file)',
        message: `not read, nor the ${files.length - i - 1} file(s) after it: too many problems already`,
      });
      break;
    }
    const display = relative(base, file) || file;
    const text = readText(file, display, problems);
    if (text !== null) entries.push(...validateKbFile(display, text, problems));
  }
  return entries;
}

/**
 * Loads the bundled knowledge base and, optionally, an organisation's extra
 * directory whose entries are validated the same way and override bundled
 * entries with the same id. Throws KbValidationError naming file, line and key.
 */
export function loadKnowledgeBase(options: { dir?: string; extraDirs?: string[] } = {}): KnowledgeBase {
  // An unusable extra directory fails before anything else is read.
  const extras = (options.extraDirs ?? []).map((extra) => ({ extra, files: extraKbFiles(extra) }));
  // The bundled entries come compiled when they can (checked when they were
  // built); only an organisation's YAML is then parsed and checked.
  const compiled = options.dir ? null : loadCompiledKb();
  if (compiled && !extras.length) return compiled;
  const dir = options.dir ?? BUNDLED_KB_DIR;
  const problems: Problem[] = [];
  const base = join(dir, '..');
  let entries = compiled ? compiled.entries : readEntries(kbFiles(dir), base, problems);
  for (const { extra, files } of extras) {
    // Patterns from outside ndr also run under a guard (guarded-pattern.ts).
    const own = readEntries(files, join(extra, '..'), problems).map(guardPatterns);
    const ids = new Set(own.map((e) => e.id));
    entries = [...entries.filter((e) => !ids.has(e.id)), ...own];
  }
  crossCheck(entries, problems);
  let registry = compiled?.registry;
  if (!registry) {
    const registryPath = join(dir, REGISTRY_FILE);
    const registryText = readText(registryPath, relative(base, registryPath), problems);
    registry = validateRegistry(relative(base, registryPath), registryText ?? '{}', problems);
  }
  if (problems.length) throw new KbValidationError(problems);
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), registry };
}
