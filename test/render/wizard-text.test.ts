import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/explain/finding.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { plainStyle } from '../../src/render/style.js';
import type { Block } from '../../src/wizard/types.js';
import { buildNote } from '../../src/wizard/note.js';
import { commandLines, renderBlock } from '../../src/render/wizard-text.js';
import { spawnSync } from 'node:child_process';

const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('../wizard/fixtures/kb/', import.meta.url)) });
const entry = kb.byId.get('recipient-not-found')!;
/** OSC 52 clipboard write, screen clear, CR overwrite, bidi override, zero-width space. */
const EVIL = '\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\rSPF: pass\u202eexe.\u200b';
const finding: Finding = {
  ...explainText(kb, '5.1.10').findings[0]!,
  recipient: `alice${EVIL}@contoso.com`,
  remoteMta: `mx${EVIL}`,
  diagnostic: `550 5.1.10 ${EVIL}`,
};
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

const blocks: [string, Block][] = [
  ['diagnosis', { kind: 'diagnosis', finding }],
  [
    'solution',
    {
      kind: 'solution',
      solution: { title: `Title ${EVIL}`, steps: [`step ${EVIL}`, { text: 'sub', substeps: [EVIL] }] },
      letter: 'A',
      total: 1,
      actor: 'recipient',
      handoff: true,
      audience: 'sender',
    },
  ],
  [
    'note',
    {
      kind: 'note',
      note: buildNote({
        finding,
        entry,
        addressee: 'recipient',
        addresseeName: 'the recipient',
        solutions: entry.solutions.admin,
        sender: `bob${EVIL}@fabrikam.com`,
        command: ['ndr', 'explain', EVIL],
      }),
    },
  ],
  [
    'checks',
    {
      kind: 'checks',
      domain: `contoso.com${EVIL}`,
      results: [
        {
          id: 'spf-record',
          status: 'fail',
          message: `TXT ${EVIL}`,
          evidence: [{ name: 'contoso.com', type: 'TXT', value: `v=spf1 ${EVIL}`, ttl: 300, status: 'ok' }],
          fix: { steps: [EVIL], kb: null, docs: [EVIL] },
        },
      ],
      pointers: [EVIL],
    },
  ],
  ['message', { kind: 'message', text: EVIL }],
  ['commands', { kind: 'commands', commands: [['ndr', 'explain', `550 ${EVIL}`, '--audience', 'admin']] }],
];

describe('every block is sanitised', () => {
  for (const [name, block] of blocks) {
    it(name, () => {
      const out = renderBlock(block, { style: plainStyle, width: 80 });
      expect(out).not.toMatch(RAW);
      expect(out).toContain('\\x1b]52;c;');
      expect(out).toContain('\\u202e');
    });
  }
});

describe('layout', () => {
  it('the diagnosis has title, meaning and the owner picture', () => {
    const out = renderBlock({ kind: 'diagnosis', finding: explainText(kb, '550 5.1.10').findings[0]! }, { style: plainStyle, width: 80 });
    expect(out).toContain('550 5.1.10  Recipient not found  (permanent)');
    expect(out).toContain('What it means\n    The receiving system has no mailbox for the address.');
    expect(out).toContain('Who must act\n    [ Sender ] --> [ Mail service ] --> [ Recipient ]');
  });
  it('the commands are quoted for a shell', () =>
    expect(
      renderBlock(
        {
          kind: 'commands',
          commands: [
            ['ndr', 'explain', "it's 5.1.10", '--audience', 'admin'],
            ['ndr', 'check-mx', 'contoso.com'],
          ],
        },
        { style: plainStyle, width: 80 },
      ),
    ).toBe(
      "\n  To repeat this without the questions\n    $ ndr explain 'it'\\''s 5.1.10' --audience admin\n    $ ndr check-mx contoso.com\n",
    ));
});

describe('commands to repeat the session fit the width and read back as the same argv', () => {
  const argvs: string[][] = [
    ['ndr', 'explain', '5.1.10', '--audience', 'sender'],
    ['ndr', 'explain', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', '--audience', 'sender'],
    ['ndr', 'explain', `/home/bob/${'very-long-folder-name/'.repeat(5)}it's a bounce.eml`, '--audience', 'admin', '--kb', '/etc/ndr/kb'],
    ['ndr', 'check-mx', '--nameserver', '127.0.0.1:5353', '--timeout', '2', 'a-rather-long-subdomain.of-a-long-domain.contoso.example'],
  ];
  for (const width of [40, 59, 79, 119]) {
    for (const argv of argvs) {
      it(`${width} columns: ${argv.slice(0, 3).join(' ')}`, () => {
        const lines = commandLines(argv, width);
        for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
        // A POSIX shell reads the printed lines (after "$ ") back as the same words.
        const script = `${lines.join('\n').replace(/^ *\$ ndr/, 'printf "%s\\n"')}\n`;
        const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(`${argv.slice(1).join('\n')}\n`);
      });
    }
  }
});

describe('DNS checks in the wizard when nothing answered', () => {
  it('one line, not one per check', () => {
    const why = 'could not look up MX contoso.com: 127.0.0.1:5399 answered REFUSED';
    const results = (['mx-records', 'mx-count', 'mx-target', 'mx-resolves'] as const).map((id) => ({
      id,
      status: 'error' as const,
      message: why,
      evidence: [{ name: 'contoso.com', type: 'MX' as const, value: null, ttl: null, status: 'timeout' as const, detail: why }],
      fix: null,
    }));
    const text = renderBlock(
      { kind: 'checks', domain: 'contoso.com', results, pointers: results.map(() => null) },
      { style: plainStyle, width: 79 },
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(79);
    const out = text.replace(/\s+/g, ' ');
    expect(out.split(why)).toHaveLength(2);
    expect(out).toContain(`[ ?? ] nothing could be checked: ${why}`);
    expect(out).not.toContain('MX-COUNT');
  });
});
