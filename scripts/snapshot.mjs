#!/usr/bin/env node
/**
 * Records what every command prints, for refactors that must not change
 * behaviour: `node scripts/snapshot.mjs OUT_DIR` runs the built CLI
 * (bin/ndr.js, so `npm run build` first) over ../shared/corpus, test/fixtures
 * and examples, in text and JSON, plus codes, kb lint, completion, help,
 * usage errors and check-mx against NSD with the test zones, and writes one
 * file per case: its argv, exit code, stdout and stderr. Compare two runs
 * with `diff -r OLD NEW`.
 *
 * Output is taken at 80 columns with NO_COLOR; temp paths and NSD's port are
 * replaced by fixed words so that two runs compare.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './bench/common.mjs';
import { loadTsHelpers } from './bench/harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/snapshot.mjs OUT_DIR\n');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const env = { ...process.env, NO_COLOR: '1', COLUMNS: '80' };
delete env.CI;
delete env.NDR_KB;

let count = 0;
let port = '';
function record(name, args, input) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ndr.js'), ...args], {
    cwd: ROOT,
    env,
    input: input ?? '',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 120_000,
  });
  // Timings differ from run to run: NSD's port, elapsedMs and "N ms".
  const clean = (s) =>
    (port ? s.split(port).join('NSD_PORT') : s).replace(/"elapsedMs":( ?)\d+/g, '"elapsedMs":$1N').replace(/\b\d+ ms\)/g, 'N ms)');
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_');
  writeFileSync(
    join(out, `${safe}.txt`),
    `argv: ${clean(JSON.stringify(args))}\nexit: ${r.status ?? r.signal}\n--- stdout\n${clean(r.stdout ?? '')}\n--- stderr\n${clean(r.stderr ?? '')}`,
  );
  count++;
}

const rel = (p) => relative(ROOT, p);

// The corpus as batches (one process each), text and JSON Lines.
if (existsSync(CORPUS)) {
  record('corpus-text', ['explain', CORPUS]);
  record('corpus-json', ['explain', '--json', CORPUS]);
  record('corpus-full', ['explain', '--full', CORPUS]);
  record('corpus-admin', ['explain', '--audience', 'admin', CORPUS]);
}

// Every fixture and example alone: text, --full and JSON.
const inputs = [
  ...listFiles(join(ROOT, 'test', 'fixtures', 'eml')),
  ...listFiles(join(ROOT, 'test', 'fixtures', 'hostile')),
  ...listFiles(join(ROOT, 'examples')),
];
for (const file of inputs) {
  const r = rel(file);
  record(`file-${r}`, ['explain', r]);
  record(`file-full-${r}`, ['explain', '--full', r]);
  record(`file-json-${r}`, ['explain', '--json', r]);
  record(`file-sender-${r}`, ['explain', '--audience', 'sender', r]);
}
record('stdin-bounce', ['explain', '-'], readFileSync(join(ROOT, 'examples', 'bounce-5.1.10.eml'), 'utf8'));
record('stdin-json', ['explain', '--json', '-'], readFileSync(join(ROOT, 'examples', 'ndr-5.1.10.txt'), 'utf8'));
record('folder-fixtures', ['explain', 'test/fixtures/eml']);
record('folder-fixtures-json', ['explain', '--json', 'test/fixtures/eml']);

// Codes, replies and pasted text.
const pasted = [
  '5.7.1',
  '5.1.10',
  '4.4.7',
  '5.4.4',
  '4.7.1',
  '4.4.4',
  '5.0.0',
  '5.7.350',
  '5.7.511',
  '5.7.232',
  '9.9.9',
  '2.0.0',
  'nonsense',
  '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
  '550 5.7.1 Message rejected as spam by Content Filtering.',
  '550 5.0.0 User unknown',
  '550 User unknown',
  '571 No PTR Record found. Reverse DNS required',
  '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Blocklist 1',
  '452 4.2.2 Mailbox full',
  'Postboksen til mottakeren er full og kan ikke motta meldinger nå.',
];
for (const p of pasted) {
  record(`paste-${p.slice(0, 40)}`, ['explain', p]);
  record(`paste-json-${p.slice(0, 40)}`, ['explain', '--json', p]);
  record(`paste-full-${p.slice(0, 40)}`, ['explain', '--full', '--audience', 'admin', p]);
}
record('paste-several', ['explain', '5.7.1', '5.1.10', 'examples/bounce-5.1.10.eml']);
record('paste-several-json', ['explain', '--json', '5.7.1', '5.1.10', 'examples/bounce-5.1.10.eml']);

// Listing, linting, completion, help.
for (const q of [[], ['5.7'], ['5.4.4'], ['relay'], ['--json', 'relay'], ['--json'], ['zzzz']])
  record(`codes-${q.join('_') || 'all'}`, ['codes', ...q]);
record('kb-lint', ['kb', 'lint', 'knowledge']);
record('kb-lint-json', ['kb', 'lint', '--json', 'knowledge']);
for (const dir of readdirSync(join(ROOT, 'test', 'fixtures', 'kb'))) {
  record(`kb-lint-${dir}`, ['kb', 'lint', join('test', 'fixtures', 'kb', dir)]);
  record(`kb-explain-${dir}`, ['explain', '--kb', join('test', 'fixtures', 'kb', dir), '5.7.1']);
}
for (const shell of ['bash', 'zsh', 'fish', 'tcsh']) record(`completion-${shell}`, ['completion', shell]);
for (const cmd of [[], ['explain'], ['codes'], ['wizard'], ['check-mx'], ['kb'], ['completion']])
  record(`help-${cmd.join('') || 'top'}`, [...cmd, '--help']);
record('version', ['--version']);

// Usage and input errors.
const errors = [
  [],
  ['nope'],
  ['explain'],
  ['explain', '--audience', 'boss', '5.7.1'],
  ['explain', '--timeout', 'x', '5.7.1'],
  ['explain', '--timeout', '0', '--check', '5.7.1'],
  ['explain', '--max-size', 'lots', '5.7.1'],
  ['explain', '/nonexistent/file.eml'],
  ['explain', '--json', '/nonexistent/file.eml'],
  ['explain', '--kb', '/nonexistent', '5.7.1'],
  ['check-mx'],
  ['check-mx', 'not a domain'],
  ['check-mx', '1.2.3.4'],
  ['check-mx', '--timeout', 'x', 'contoso.com'],
  ['check-mx', '--nameserver', 'nope', 'contoso.com'],
  ['wizard'],
  ['wizard', '--timeout', 'x'],
  ['codes', '--bogus'],
  ['--no-color', 'explain', '5.7.1'],
  ['kb'],
  ['kb', 'lint', '/nonexistent'],
];
for (const a of errors) record(`error-${a.join('_') || 'none'}`, a);

// check-mx against a real authoritative server with the test zones.
const h = await loadTsHelpers();
const nsd = await h.startNsd({ zonesDir: join(ROOT, 'test', 'fixtures', 'zones') });
try {
  port = String(nsd.port);
  const zones = nsd.zones.filter((z) => z.includes('ndr-test'));
  for (const zone of zones) {
    record(`check-mx-${zone}`, ['check-mx', '--nameserver', nsd.nameserver, zone]);
    record(`check-mx-json-${zone}`, ['check-mx', '--json', '--nameserver', nsd.nameserver, zone]);
  }
  record('explain-check', [
    'explain',
    '--check',
    '--nameserver',
    nsd.nameserver,
    '550 5.1.10 RESOLVER.ADR.RecipientNotFound; user@ok.ndr-test.example not found',
  ]);
  record('explain-check-json', ['explain', '--json', '--check', '--nameserver', nsd.nameserver, 'examples/bounce-5.1.10.eml']);
} finally {
  await nsd.stop();
}
process.stderr.write(`${count} cases written to ${out}\n`);
