#!/usr/bin/env node
// Compiles knowledge/*.yaml (validated, as at load time) to dist/knowledge.json,
// which the CLI loads without parsing YAML. Run by `npm run build`.
import { writeFileSync } from 'node:fs';
import { compileKb } from '../dist/knowledge/compiled.js';
import { BUNDLED_KB_DIR, COMPILED_KB_FILE, kbFiles, loadKnowledgeBase } from '../dist/knowledge/load.js';

try {
  // `dir` forces the YAML path: validation runs, and any problem fails the build.
  const kb = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });
  writeFileSync(COMPILED_KB_FILE, JSON.stringify(compileKb(kb)));
  console.log(`knowledge base: ${kb.entries.length} entries from ${kbFiles(BUNDLED_KB_DIR).length} files -> ${COMPILED_KB_FILE}`);
} catch (e) {
  console.error(`build-kb: ${e.message}`);
  process.exitCode = 1;
}
