/**
 * npm run corpus: prints the bounce parser's scores on ../shared/corpus.
 * Usage: npm run corpus [-- --misses]
 */
import { explainBounce } from '../src/explain/bounce.js';
import { parseBounce } from '../src/bounce/parse.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';
import { locateCorpus, rate, reasonsWith, scoreCorpus, type Rate } from './corpus-score.js';

import { join } from 'node:path';

// npm runs scripts from the package root.
const root = process.cwd();

function line(name: string, r: Rate): string {
  return `${name.padEnd(34)} ${(rate(r) * 100).toFixed(1).padStart(5)}%  (${r.hit}/${r.total})`;
}

async function main(): Promise<void> {
  const dir = locateCorpus(process.env.NDR_REPO ?? root);
  const kb = loadKnowledgeBase({ dir: join(root, 'knowledge') });
  const s = await scoreCorpus(dir, (bytes) => parseBounce(bytes), reasonsWith(kb, explainBounce));
  const out = [
    `bounce corpus: ${dir} (${s.files} files)`,
    line('status exact match', s.status),
    line('recipient match', s.recipient),
    line('reason agrees with sisimai', s.reason),
    line('Microsoft subset: status', s.microsoftStatus),
    line('Microsoft subset: recipient', s.microsoftRecipient),
    `codes reproduced where the mail has none: ${s.pseudoReproduced}`,
    `files that failed to parse: ${s.errors.length}`,
  ];
  if (process.argv.includes('--misses')) {
    for (const m of s.misses)
      out.push(`  miss ${m.what.padEnd(9)} ${m.file} [${m.index}]: expected ${m.expected}, got ${m.got ?? '(none)'}`);
    for (const e of s.errors) out.push(`  error ${e.file}: ${e.message}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`corpus: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
