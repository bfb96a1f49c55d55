import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { kbFiles, REGISTRY_FILE } from './paths.js';

/**
 * What `npm run build` records about the YAML it compiled
 * (dist/knowledge-sources.json): a hash of the files' names and contents,
 * and each file's size and time as it was then.
 */
export interface SourceRecord {
  hash: string;
  files: { path: string; size: number; mtimeMs: number }[];
}

/** The files the compiled knowledge base is made from: the entry files and the registry. */
function sourceFiles(dir: string): string[] {
  return [...kbFiles(dir), join(dir, REGISTRY_FILE)];
}

function hashOf(dir: string, files: string[]): string {
  // node:crypto loads only when a file was touched: loading it is ~9 ms of a start that needs no hash.
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
  for (const f of files)
    hash
      .update(`${relative(dir, f)}\0`)
      .update(readFileSync(f))
      .update('\0');
  return hash.digest('hex');
}

/** Written by the build beside the compiled knowledge base. */
export function recordSources(dir: string): SourceRecord {
  const files = sourceFiles(dir);
  return {
    hash: hashOf(dir, files),
    files: files.map((f) => {
      const s = statSync(f);
      return { path: relative(dir, f), size: s.size, mtimeMs: s.mtimeMs };
    }),
  };
}

/**
 * Whether the YAML in `dir` is what the build compiled. The content decides:
 * when every file still has the size and time the build saw, nothing was
 * touched and nothing is read; otherwise the files are hashed again, so that
 * a file touched but not changed (a checkout, a copy) keeps the compiled
 * form, and an edited one does not.
 */
export function sameSources(record: SourceRecord, dir: string): boolean {
  const files = sourceFiles(dir);
  const untouched =
    files.length === record.files.length &&
    files.every((f, i) => {
      const s = statSync(f);
      const r = record.files[i]!;
      return r.path === relative(dir, f) && r.size === s.size && r.mtimeMs === s.mtimeMs;
    });
  return untouched || hashOf(dir, files) === record.hash;
}
