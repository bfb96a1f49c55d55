import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decompileKb, type CompiledIndex, type DetailsSource } from './compiled.js';
import { BUNDLED_KB_DIR, COMPILED_KB_DETAILS_FILE, COMPILED_KB_FILE, kbFiles, REGISTRY_FILE } from './paths.js';
import type { KnowledgeBase } from './types.js';

/**
 * The bundled knowledge base as compiled at build time, or null when there is
 * no compiled file or a YAML file is newer (a developer edited it): then the
 * caller loads and validates the YAML. This module must not import the YAML
 * parser, so that `ndr explain 5.7.1` starts fast; for the same reason only
 * the index is read here, and an entry's details when it is shown.
 */
export function loadCompiledKb(files = { index: COMPILED_KB_FILE, details: COMPILED_KB_DETAILS_FILE }): KnowledgeBase | null {
  if (!existsSync(files.index) || !existsSync(files.details)) return null;
  // build-kb writes the details first, so the index is the newer of the two.
  const builtAt = statSync(files.index).mtimeMs;
  const sources = [...kbFiles(BUNDLED_KB_DIR), join(BUNDLED_KB_DIR, REGISTRY_FILE)];
  if (sources.some((f) => statSync(f).mtimeMs > builtAt)) return null;
  const index = JSON.parse(readFileSync(files.index, 'utf8')) as CompiledIndex;
  return decompileKb(index, detailsFile(files.details));
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
