import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/explain/finding.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { Block, Session } from '../../src/wizard/types.js';
import { view } from '../../src/wizard/views.js';
import { buildNote, meaningLine } from '../../src/wizard/note.js';

const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('./fixtures/kb/', import.meta.url)) });
const entry = kb.byId.get('recipient-not-found')!;
const finding: Finding = {
  ...explainText(kb, '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup').findings[0]!,
  recipient: 'alice@contoso.com',
  remoteMta: 'mx.contoso.com',
};

describe('the ready-to-send note', () => {
  const note = buildNote({
    finding,
    entry,
    addressee: 'recipient-admin',
    addresseeName: "the recipient's e-mail admin",
    solutions: entry.solutions.admin.slice(0, 2),
    sender: 'bob@fabrikam.com',
    command: ['ndr', 'explain', '550 5.1.10 RESOLVER.ADR.RecipientNotFound', '--audience', 'admin'],
  });
  const text = note.lines.join('\n');
  it('a subject naming recipient and code', () =>
    expect(note.subject).toBe('Undeliverable message to alice@contoso.com: 550 5.1.10 Recipient not found'));
  it('the facts: code, recipient, sender, server, diagnostic', () => {
    expect(text).toContain('  Code:        550 5.1.10: Recipient not found');
    expect(text).toContain('  Recipient:   alice@contoso.com');
    expect(text).toContain('  Sender:      bob@fabrikam.com');
    expect(text).toContain('  Reported by: mx.contoso.com');
    expect(text).toContain('  Diagnostic:  550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup');
  });
  it('the steps, lettered and numbered', () => {
    expect(text).toContain(
      'What would fix it (any of these):\n  A. Make sure the mailbox exists\n     1. Look the address up in the admin center.\n  B. Check that the MX record',
    );
  });
  it('the command, quoted for a shell', () =>
    expect(text).toContain("The full explanation: ndr explain '550 5.1.10 RESOLVER.ADR.RecipientNotFound' --audience admin"));
  it('a long diagnostic is cut', () => {
    const long = buildNote({
      finding: { ...finding, diagnostic: 'x '.repeat(1000) },
      entry,
      addressee: 'recipient',
      addresseeName: 'the recipient',
      solutions: [],
      sender: null,
      command: ['ndr'],
    });
    const line = long.lines.find((l) => l.startsWith('  Diagnostic:'))!;
    expect(line.length).toBeLessThan(620);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('notes the wizard prints', () => {
  const session: Session = {
    audience: 'sender',
    input: { method: 'file', path: '/home/bob/Downloads/bounce.eml' },
    loaded: { findings: [finding], sender: 'bob@fabrikam.com' },
    finding: 0,
    checked: null,
    client: null,
    replayFlags: [],
  };
  const noteOf = (blocks: Block[]) => blocks.find((b): b is Extract<Block, { kind: 'note' }> => b.kind === 'note')!.note;
  it("quote the finding, not the sender's local file", () => {
    const text = noteOf(view({ step: 'exhausted', session }).show).lines.join('\n');
    expect(text).not.toContain('/home/bob');
    expect(text).toContain(
      "ndr explain '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' --audience admin",
    );
  });
  it('a note for the recipient leaves out the admin view', () => {
    const text = noteOf(view({ step: 'note', session, index: 1 }).show).lines.join('\n');
    expect(text).toMatch(/ndr explain '550 5\.1\.10 [^']*'$/m);
  });
});

describe('what the note says it means, for whoever reads it', () => {
  const SUMMARY =
    'Exchange Online looked the address up and found nobody with it. Either the address is wrong, or the bounce is backscatter about a message you never sent.';
  const ok = (addressee: Parameters<typeof meaningLine>[0], summary: string, expected: string) =>
    it(`${addressee}: ${expected.slice(0, 60)}`, () => expect(meaningLine(addressee, summary)).toBe(expected));
  ok('sender', SUMMARY, `What it means: ${SUMMARY}`);
  ok('recipient-admin', SUMMARY, 'What it means: Exchange Online looked the address up and found nobody with it.');
  ok(
    'recipient',
    'The mailbox at contoso.com is full. It takes mail again once emptied.',
    'What it means: The mailbox at contoso.com is full. It takes mail again once emptied.',
  );
  ok(
    'sender-admin',
    'Microsoft 365 stopped your account from sending.',
    'What it means, as ndr explained it to the sender: "Microsoft 365 stopped your account from sending."',
  );

  it("the recipient's admin never reads about a message they never sent (bundled 5.1.10)", () => {
    const bundled = loadKnowledgeBase();
    const e = bundled.byId.get('recipient-not-found')!;
    expect(e.summary).toMatch(/\byou\b/);
    const n = buildNote({
      finding,
      entry: e,
      addressee: 'recipient-admin',
      addresseeName: "the recipient's e-mail admin",
      solutions: [],
      sender: 'bob@fabrikam.com',
      command: ['ndr'],
    });
    const text = n.lines.join('\n');
    expect(text).not.toMatch(/never sent/);
    expect(text).toMatch(/^What it means: Exchange Online looked the address up/m);
  });
});
