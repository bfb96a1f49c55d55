import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCompiledKb } from '../../src/knowledge/bundled.js';
import { parseCode, rangeCovers, rangeWidth } from '../../src/knowledge/codes.js';
import { compileKb } from '../../src/knowledge/compiled.js';
import { explainText } from '../../src/explain/text.js';
import { BUNDLED_KB_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { recordSources } from '../../src/knowledge/sources.js';
import type { KbEntry } from '../../src/knowledge/types.js';

const kb = loadKnowledgeBase();

/** The id of the entry the first finding selects, or null. */
function pick(input: string): string | null {
  return explainText(kb, input).findings[0]?.match?.entry.id ?? null;
}

function picksAll(input: string): string[] {
  return explainText(kb, input).findings.flatMap((f) => (f.match ? [f.match.entry.id] : []));
}

function coverWidth(e: KbEntry, code: string): number {
  const c = parseCode(code)!;
  return Math.min(...e.codes.filter((r) => rangeCovers(r, c)).map(rangeWidth));
}

describe('the bundled knowledge base', () => {
  it('loads and validates', () => {
    expect(kb.entries.length).toBeGreaterThan(50);
  });

  it('names a source for every entry and solutions for at least one audience', () => {
    for (const e of kb.entries) {
      expect(e.sources.length, e.id).toBeGreaterThan(0);
      expect(e.solutions.sender.length + e.solutions.admin.length, e.id).toBeGreaterThan(0);
    }
  });
});

describe('every entry selects its own examples and not the others', () => {
  for (const e of kb.entries) {
    it(`${e.id} (${e.file}:${e.line})`, () => {
      for (const input of e.examples.match) expect(picksAll(input), `match: ${input}`).toContain(e.id);
      for (const input of e.examples.nomatch) expect(picksAll(input), `nomatch: ${input}`).not.toContain(e.id);
    });
  }
});

// Issue 2: every code and range of the seed table (003), values inside ranges too,
// and the further current Exchange Online codes resolve to a specific entry.
const SEED_CODES = [
  '4.4.316',
  '4.4.7',
  '4.5.3',
  '4.7.26',
  '4.7.500',
  '4.7.600',
  '4.7.699',
  '4.7.850',
  '4.7.875',
  '4.7.899',
  '5.1.0',
  '5.1.1',
  '5.1.8',
  '5.2.121',
  '5.2.122',
  '5.3.190',
  '5.4.1',
  '5.4.6',
  '5.6.11',
  '5.7.1',
  '5.7.12',
  '5.7.124',
  '5.7.133',
  '5.7.134',
  '5.7.13',
  '5.7.135',
  '5.7.136',
  '5.7.25',
  '5.7.501',
  '5.7.502',
  '5.7.503',
  '5.7.504',
  '5.7.505',
  '5.7.506',
  '5.7.507',
  '5.7.508',
  '5.7.509',
  '5.7.510',
  '5.7.511',
  '5.7.512',
  '5.7.513',
  '5.7.606',
  '5.7.620',
  '5.7.649',
  '5.7.700',
  '5.7.705',
  '5.7.708',
  '5.7.720',
  '5.7.749',
  // seed 000: 5.1.1 to 5.1.20
  '5.1.2',
  '5.1.3',
  '5.1.10',
  '5.1.15',
  '5.1.20',
  // ndr-codes.md §1b
  '5.2.2',
  '5.4.14',
  '5.7.23',
  '5.7.57',
  '5.7.64',
  '5.7.367',
  '5.7.350',
  '5.7.750',
  '5.7.703',
  '5.0.350',
];

describe('seed and current codes resolve to a specific entry', () => {
  it.each(SEED_CODES)('%s', (code) => {
    const f = explainText(kb, code).findings[0]!;
    expect(f.match, `no entry for ${code}`).not.toBeNull();
    expect(['exact', 'range', 'pattern']).toContain(f.match!.tier);
    // Not just the 5.7.0-999 family catch-all.
    expect(coverWidth(f.match!.entry, code)).toBeLessThan(1000);
  });
});

describe('variants of one code resolve to different entries from realistic lines', () => {
  it('the five 5.7.1 variants', () => {
    const lines = [
      '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
      '550 5.7.1 Unable to relay',
      '530 5.7.1 Client was not authenticated',
      '550 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using Blocklist 1; To request removal from this list please forward this message to delist@messaging.microsoft.com',
      '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required [Stage: CreateMessage]',
    ];
    const ids = lines.map(pick);
    expect(ids.every(Boolean), JSON.stringify(ids)).toBe(true);
    expect(new Set(ids).size, JSON.stringify(ids)).toBe(lines.length);
  });

  it('the two meanings of 5.2.2', () => {
    const full = pick('554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionQuotaExceeded');
    const quota = pick('550 5.2.2 Submission quota exceeded');
    expect(full).not.toBeNull();
    expect(quota).not.toBeNull();
    expect(full).not.toBe(quota);
  });

  it('the two meanings of 5.4.1', () => {
    const relay = pick('550 5.4.1 Relay Access Denied');
    const dbeb = pick('550 5.4.1 Recipient address rejected: Access denied. AS(201806281)');
    expect(relay).not.toBeNull();
    expect(dbeb).not.toBeNull();
    expect(relay).not.toBe(dbeb);
  });

  it('an Exchange wrapper explains both itself and the embedded reply', () => {
    const ids = picksAll(
      '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using Blocklist 1',
    );
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('pasted diagnostic tokens alone select an entry', () => {
    expect(pick('RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup')).not.toBeNull();
  });
});

describe('unknown but well-formed codes get the generic meaning', () => {
  it.each(['4.2.2', '5.3.4', '2.0.0', '4.9.9', '5.5.999'])('%s', (code) => {
    const f = explainText(kb, code).findings[0]!;
    expect(f.generic).toMatchObject({ code, class: expect.any(Object), subject: code === '4.9.9' ? null : expect.any(Object) });
  });
});

describe('the compiled knowledge base, read as the CLI reads dist/', () => {
  const fromYaml = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });

  /** A compiled knowledge base and a copy of the YAML it was compiled from, as the build leaves them. */
  function withCompiledFiles(test: (files: { index: string; details: string; sources: string }, yamlDir: string) => void) {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-kb-'));
    try {
      const yamlDir = join(dir, 'knowledge');
      cpSync(BUNDLED_KB_DIR, yamlDir, { recursive: true });
      const { index, details } = compileKb(fromYaml);
      const files = {
        index: join(dir, 'knowledge.json'),
        details: join(dir, 'knowledge-details.jsonl'),
        sources: join(dir, 'knowledge-sources.json'),
      };
      writeFileSync(files.details, details);
      writeFileSync(files.index, JSON.stringify(index));
      writeFileSync(files.sources, JSON.stringify(recordSources(yamlDir)));
      test(files, yamlDir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('gives the same entries as the YAML, details read from the file when used', () => {
    withCompiledFiles((files, yamlDir) => {
      const compiled = loadCompiledKb(files, yamlDir)!;
      expect(compiled).not.toBeNull();
      // Every field read by name, as the code reads them (a lazy entry's details are accessors until read).
      const keys = Object.keys(fromYaml.entries[0]!);
      const fields = (e: object | undefined) => Object.fromEntries(keys.map((k) => [k, (e as Record<string, unknown>)[k]]));
      for (const input of ['5.7.1', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup']) {
        const e = explainText(compiled, input).findings[0]!.match!.entry;
        expect(fields(e)).toEqual(fields(fromYaml.byId.get(e.id)));
      }
      expect(compiled.entries.map(fields)).toEqual(fromYaml.entries.map(fields));
      expect(JSON.stringify(compiled.entries)).toBe(JSON.stringify(fromYaml.entries));
    });
  });

  // [what happens to the YAML after the build, used in a checkout, used installed (no YAML check)]
  const later: [string, (yamlDir: string) => void, boolean, boolean][] = [
    ['nothing', () => {}, true, true],
    ['every file touched (newer times), contents the same', (d) => touchAll(d), true, true],
    ['every file given an old time, contents the same', (d) => touchAll(d, 0), true, true],
    ['an entry file edited', (d) => appendFileSync(join(d, 'policy.yaml'), '\n# edited\n'), false, true],
    ['an entry file edited, then given its old time back', (d) => editKeepingTime(join(d, 'routing.yaml')), false, true],
    ['the registry edited', (d) => appendFileSync(join(d, 'registry', 'rfc3463.yaml'), '\n# edited\n'), false, true],
    ['an entry file added', (d) => writeFileSync(join(d, 'zz-extra.yaml'), 'entries: []\n'), false, true],
    ['an entry file removed', (d) => rmSync(join(d, 'sending.yaml')), false, true],
  ];
  function touchAll(dir: string, time = Date.now() / 1000 + 60) {
    for (const f of ['policy.yaml', 'recipient.yaml', 'routing.yaml', 'sending.yaml', join('registry', 'rfc3463.yaml')])
      utimesSync(join(dir, f), time, time);
  }
  function editKeepingTime(file: string) {
    const { mtime, atime } = statSync(file);
    const text = readFileSync(file, 'utf8');
    // Same size, other content, same time: only the content can tell.
    writeFileSync(file, text.replace('owner:', 'ownex:'));
    utimesSync(file, atime, mtime);
  }

  it.each(later)('after the build, %s: used in a checkout %s, used installed %s', (_what, change, inCheckout, installed) => {
    withCompiledFiles((files, yamlDir) => {
      change(yamlDir);
      expect(loadCompiledKb(files, yamlDir) !== null).toBe(inCheckout);
      expect(loadCompiledKb(files, null) !== null).toBe(installed);
    });
  });

  it('is not used when a compiled file is missing, or in a checkout without the record of its sources', () => {
    withCompiledFiles((files, yamlDir) => {
      expect(loadCompiledKb({ ...files, details: `${files.details}.missing` }, null)).toBeNull();
      expect(loadCompiledKb({ ...files, index: `${files.index}.missing` }, null)).toBeNull();
      expect(loadCompiledKb({ ...files, sources: `${files.sources}.missing` }, yamlDir)).toBeNull();
      expect(loadCompiledKb({ ...files, sources: `${files.sources}.missing` }, null)).not.toBeNull();
    });
  });
});
