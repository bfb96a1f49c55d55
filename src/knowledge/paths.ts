import { readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This module's folder. import.meta.dirname where the runtime gives it (Node
 * >= 20.11; the bundle makes it __dirname), so that a start computes no file
 * URL (pathToFileURL and five URLs were ~1.5 ms of `ndr explain 5.7.1`).
 */
const HERE: string = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url));

/** The knowledge base shipped with ndr, located relative to this module (never the cwd). */
export const BUNDLED_KB_DIR = join(HERE, '..', '..', 'knowledge') + sep;
export const REGISTRY_FILE = join('registry', 'rfc3463.yaml');
/** Written by scripts/build-kb.mjs next to the built modules: the index (dist/knowledge.json) ... */
export const COMPILED_KB_FILE = join(HERE, '..', 'knowledge.json');
/** ... and each entry's details, one JSON object a line (dist/knowledge-details.jsonl); see compiled.ts. */
export const COMPILED_KB_DETAILS_FILE = join(HERE, '..', 'knowledge-details.jsonl');
/** ... and what it was compiled from (dist/knowledge-sources.json; see sources.ts). Not packed: only a checkout reads it. */
export const COMPILED_KB_SOURCES_FILE = join(HERE, '..', 'knowledge-sources.json');
/**
 * The TypeScript sources, present in a development checkout and never in the
 * installed package (package.json `files`): only a checkout can have YAML
 * edited after the build, so only there is the compiled form checked against it.
 */
export const CHECKOUT_SRC_DIR = join(HERE, '..', '..', 'src') + sep;

/** Every `*.yaml` file directly in `dir` (entries; the registry lives in a subfolder). */
export function kbFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}
