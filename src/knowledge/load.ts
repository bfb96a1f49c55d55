import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
export { BUNDLED_KB_DIR, COMPILED_KB_DETAILS_FILE, COMPILED_KB_FILE, kbFiles } from './paths.js';
import { KbValidationError } from '../core/errors.js';
import { crossCheck, MAX_KB_FILE_BYTES, validateKbFile, validateRegistry, type Problem } from './validate.js';
import { loadCompiledKb } from './bundled.js';
import { BUNDLED_KB_DIR, kbFiles, REGISTRY_FILE } from './paths.js';
import type { KbEntry, KnowledgeBase } from './types.js';

function readText(path: string, display: string, problems: Problem[]): string | null {
  try {
    const size = statSync(path).size;
    if (size > MAX_KB_FILE_BYTES) {
      problems.push({ file: display, line: 1, key: '(file)', message: `larger than ${MAX_KB_FILE_BYTES} bytes` });
      return null;
    }
    return readFileSync(path, 'utf8');
  } catch (e) {
    problems.push({ file: display, line: 1, key: '(file)', message: (e as Error).message });
    return null;
  }
}

/** Reads and validates entry files; problems are collected, not thrown. */
export function readEntries(files: string[], base: string, problems: Problem[]): KbEntry[] {
  const entries: KbEntry[] = [];
  for (const file of files) {
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
  if (!options.dir) {
    const compiled = loadCompiledKb();
    if (compiled && !options.extraDirs?.length) return compiled;
  }
  const dir = options.dir ?? BUNDLED_KB_DIR;
  const problems: Problem[] = [];
  const base = join(dir, '..');
  let entries = readEntries(kbFiles(dir), base, problems);
  for (const extra of options.extraDirs ?? []) {
    const own = readEntries(kbFiles(extra), join(extra, '..'), problems);
    const ids = new Set(own.map((e) => e.id));
    entries = [...entries.filter((e) => !ids.has(e.id)), ...own];
  }
  crossCheck(entries, problems);
  const registryPath = join(dir, REGISTRY_FILE);
  const registryText = readText(registryPath, relative(base, registryPath), problems);
  const registry = validateRegistry(relative(base, registryPath), registryText ?? '{}', problems);
  if (problems.length) throw new KbValidationError(problems);
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), registry };
}

