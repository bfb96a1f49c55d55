#!/usr/bin/env node
// Compiles knowledge/*.yaml (validated, as at load time) to dist/knowledge.json
// (the index matching needs) and dist/knowledge-details.jsonl (each entry's
// texts, parsed only when the entry is shown), which the CLI loads without
// parsing YAML, and records what it compiled (dist/knowledge-sources.json: a
// content hash), by which a development checkout notices an edited YAML file
// (src/knowledge/sources.ts), and the phrase table's literals
// (dist/knowledge/reason-literals.js, see src/knowledge/reason-literals.ts)
// and the words of Exchange's phrases (dist/bounce/exchange-words.js).
// Run by `npm run build`.
import { writeFileSync } from 'node:fs';
import { compileKb } from '../dist/knowledge/compiled.js';
import { BUNDLED_KB_DIR, COMPILED_KB_DETAILS_FILE, COMPILED_KB_FILE, kbFiles, loadKnowledgeBase } from '../dist/knowledge/load.js';
import { COMPILED_KB_SOURCES_FILE } from '../dist/knowledge/paths.js';
import { recordSources } from '../dist/knowledge/sources.js';
import { phraseRows } from '../dist/knowledge/reason-words.js';
import { phraseWordRows } from '../dist/bounce/exchange-patterns.js';

try {
  // `dir` forces the YAML path: validation runs, and any problem fails the build.
  const record = recordSources(BUNDLED_KB_DIR);
  const kb = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });
  const { index, details } = compileKb(kb);
  writeFileSync(COMPILED_KB_DETAILS_FILE, details);
  writeFileSync(COMPILED_KB_FILE, JSON.stringify(index));
  // Recorded before reading: a file edited while the build ran is seen as changed.
  writeFileSync(COMPILED_KB_SOURCES_FILE, `${JSON.stringify(record)}\n`);
  // The phrase table's literals (src/knowledge/reason-literals.ts): computed once here, not in every run.
  const literals = phraseRows();
  writeFileSync(
    new URL('../dist/knowledge/reason-literals.js', import.meta.url),
    `// Written by scripts/build-kb.mjs from REASON_PHRASES.\nexport const PRECOMPUTED_LITERALS_JSON = ${JSON.stringify(JSON.stringify(literals))};\n`,
  );
  // The words of Exchange's phrases (src/bounce/exchange-words.ts), likewise.
  writeFileSync(
    new URL('../dist/bounce/exchange-words.js', import.meta.url),
    `// Written by scripts/build-kb.mjs from EXCHANGE_LANGUAGES.\nexport const PRECOMPUTED_PHRASE_WORDS_JSON = ${JSON.stringify(JSON.stringify(phraseWordRows()))};\n`,
  );
  console.log(
    `knowledge base: ${kb.entries.length} entries from ${kbFiles(BUNDLED_KB_DIR).length} files -> ${COMPILED_KB_FILE}, ${COMPILED_KB_DETAILS_FILE}`,
  );
} catch (e) {
  console.error(`build-kb: ${e.message}`);
  process.exitCode = 1;
}
