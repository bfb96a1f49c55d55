/**
 * Which knowledge base the built CLI uses (src/knowledge/bundled.ts): in a
 * checkout (src/ beside dist/) the YAML when it is no longer what the build
 * compiled, else the compiled form; installed (no src/), always the compiled
 * form, whatever happens to the YAML files. Run on copies of the build.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { testTempDir } from '../helpers/tmp.js';

const EXAMPLE = join(ROOT, 'examples', 'bounce-5.1.10.eml');
const NOT_YAML = '\n: [this is not YAML\n';

/** A copy of the build: as a checkout (with src/) or as the installed package (without). */
function copyOfBuild(layout: 'checkout' | 'installed'): string {
  const dir = testTempDir('ndr-kb-build-');
  for (const part of ['bin', 'dist', 'knowledge', 'package.json'])
    cpSync(join(ROOT, part), join(dir, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  if (layout === 'checkout') mkdirSync(join(dir, 'src'));
  return dir;
}

function ndr(root: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ndr.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', NDR_CODE_CACHE: '0' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function touchAll(kb: string) {
  const later = new Date(Date.now() + 60_000);
  for (const f of ['policy.yaml', 'recipient.yaml', 'routing.yaml', 'sending.yaml', join('registry', 'rfc3463.yaml')])
    utimesSync(join(kb, f), later, later);
}

let reference: { code: number | null; stdout: string; stderr: string };
beforeAll(() => {
  reference = ndr(ROOT, ['explain', EXAMPLE]);
  expect(reference.code).toBe(0);
});

// [layout, what happens to the YAML after the build, what the run must give]
const cases: ['checkout' | 'installed', string, (kb: string) => void, 'same' | 'yaml error'][] = [
  ['checkout', 'nothing', () => {}, 'same'],
  [
    'checkout',
    'a file touched, contents the same',
    (kb) => utimesSync(join(kb, 'routing.yaml'), new Date(), new Date(Date.now() + 60_000)),
    'same',
  ],
  ['checkout', 'an entry file made invalid', (kb) => appendFileSync(join(kb, 'policy.yaml'), NOT_YAML), 'yaml error'],
  ['checkout', 'the registry made invalid', (kb) => appendFileSync(join(kb, 'registry', 'rfc3463.yaml'), NOT_YAML), 'yaml error'],
  [
    'checkout',
    'a comment added (read from the YAML, same entries)',
    (kb) => appendFileSync(join(kb, 'sending.yaml'), '\n# a comment\n'),
    'same',
  ],
  ['installed', 'nothing', () => {}, 'same'],
  ['installed', 'every YAML file newer than the build (as npm writes them)', (kb) => touchAll(kb), 'same'],
  [
    'installed',
    'every entry file made invalid',
    (kb) => ['policy', 'recipient', 'routing', 'sending'].forEach((f) => appendFileSync(join(kb, `${f}.yaml`), NOT_YAML)),
    'same',
  ],
];

describe('the knowledge base a built ndr uses', () => {
  it.each(cases)('%s, after the build %s: %s', (layout, _what, change, expected) => {
    const root = copyOfBuild(layout);
    change(join(root, 'knowledge'));
    const r = ndr(root, ['explain', EXAMPLE]);
    if (expected === 'same') expect(r).toEqual(reference);
    else {
      // Read and validated: the problem is reported as the loader reports it, one file and line.
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^ndr: /);
      expect(r.stderr).toMatch(/^knowledge\/(policy|registry\/rfc3463)\.yaml:\d+: /m);
    }
  });
});
