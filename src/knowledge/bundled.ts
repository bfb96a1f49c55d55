import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decompileKb, type CompiledKb } from './compiled.js';
import { BUNDLED_KB_DIR, COMPILED_KB_FILE, kbFiles, REGISTRY_FILE } from './paths.js';
import type { KnowledgeBase } from './types.js';

/**
 * The bundled knowledge base as compiled at build time, or null when there is
 * no compiled file or a YAML file is newer (a developer edited it): then the
 * caller loads and validates the YAML. This module must not import the YAML
 * parser, so that `ndr explain 5.7.1` starts fast.
 */
export function loadCompiledKb(): KnowledgeBase | null {
  if (!existsSync(COMPILED_KB_FILE)) return null;
  const builtAt = statSync(COMPILED_KB_FILE).mtimeMs;
  const sources = [...kbFiles(BUNDLED_KB_DIR), join(BUNDLED_KB_DIR, REGISTRY_FILE)];
  if (sources.some((f) => statSync(f).mtimeMs > builtAt)) return null;
  return decompileKb(JSON.parse(readFileSync(COMPILED_KB_FILE, 'utf8')) as CompiledKb);
}
