import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The knowledge base shipped with ndr, located relative to this module (never the cwd). */
export const BUNDLED_KB_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));
export const REGISTRY_FILE = join('registry', 'rfc3463.yaml');
/** Written by scripts/build-kb.mjs next to the built modules: the index (dist/knowledge.json) ... */
export const COMPILED_KB_FILE = fileURLToPath(new URL('../knowledge.json', import.meta.url));
/** ... and each entry's details, one JSON object a line (dist/knowledge-details.jsonl); see compiled.ts. */
export const COMPILED_KB_DETAILS_FILE = fileURLToPath(new URL('../knowledge-details.jsonl', import.meta.url));
/** ... and what it was compiled from (dist/knowledge-sources.json; see sources.ts). Not packed: only a checkout reads it. */
export const COMPILED_KB_SOURCES_FILE = fileURLToPath(new URL('../knowledge-sources.json', import.meta.url));
/**
 * The TypeScript sources, present in a development checkout and never in the
 * installed package (package.json `files`): only a checkout can have YAML
 * edited after the build, so only there is the compiled form checked against it.
 */
export const CHECKOUT_SRC_DIR = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every `*.yaml` file directly in `dir` (entries; the registry lives in a subfolder). */
export function kbFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}
