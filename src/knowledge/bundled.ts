import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { decompileKb, type CompiledIndex, type DetailsSource } from './compiled.js';
import { BUNDLED_KB_DIR, CHECKOUT_SRC_DIR, COMPILED_KB_DETAILS_FILE, COMPILED_KB_FILE, COMPILED_KB_SOURCES_FILE } from './paths.js';
import { sameSources, type SourceRecord } from './sources.js';
import type { KnowledgeBase } from './types.js';

export interface CompiledKbFiles {
  index: string;
  details: string;
  /** What the build compiled (sources.ts); read only when `yamlDir` is given. */
  sources: string;
}

const BUILT: CompiledKbFiles = { index: COMPILED_KB_FILE, details: COMPILED_KB_DETAILS_FILE, sources: COMPILED_KB_SOURCES_FILE };

/**
 * The bundled knowledge base as compiled at build time, or null when there is
 * none, or when `yamlDir` is given and its YAML is no longer what the build
 * compiled (a developer edited it): then the caller loads and validates the
 * YAML. The installed package passes no `yamlDir` and uses what the build
 * made, whatever the files' times (npm writes them in its own order); a
 * development checkout (src/ beside dist/) passes the bundled YAML folder.
 * This module must not import the YAML parser, so that `ndr explain 5.7.1`
 * starts fast; for the same reason only the index is read here, and an
 * entry's details when it is shown.
 */
export function loadCompiledKb(
  files: CompiledKbFiles = BUILT,
  yamlDir: string | null = existsSync(CHECKOUT_SRC_DIR) ? BUNDLED_KB_DIR : null,
): KnowledgeBase | null {
  if (!existsSync(files.index) || !existsSync(files.details)) return null;
  if (yamlDir !== null && !builtFrom(files.sources, yamlDir)) return null;
  const index = JSON.parse(readFileSync(files.index, 'utf8')) as CompiledIndex;
  return decompileKb(index, detailsFile(files.details));
}

function builtFrom(sourcesFile: string, yamlDir: string): boolean {
  try {
    return sameSources(JSON.parse(readFileSync(sourcesFile, 'utf8')) as SourceRecord, yamlDir);
  } catch {
    // No record, or a YAML file gone: the YAML decides (and reports what is wrong).
    return false;
  }
}

/**
 * Reads only the ranges asked for: reading the whole file (440 KB) took longer
 * than parsing the index, and a run shows two or three entries.
 */
function detailsFile(path: string): DetailsSource {
  return {
    bytes: statSync(path).size,
    read(start, end) {
      const buf = Buffer.allocUnsafe(end - start);
      const fd = openSync(path, 'r');
      try {
        let got = 0;
        while (got < buf.length) {
          const n = readSync(fd, buf, got, buf.length - got, start + got);
          if (n === 0) break;
          got += n;
        }
        return buf.toString('utf8', 0, got);
      } finally {
        closeSync(fd);
      }
    },
  };
}
