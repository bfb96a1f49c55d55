import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { checkPointers } from '../../src/wizard/session.js';
import type { Block, State } from '../../src/wizard/types.js';
import { view } from '../../src/wizard/views.js';
import { admin, kb, presets, sender, twoRecipients } from './sessions.js';

describe('views: what each state asks', () => {
  const ask = (s: State) => view(s).ask;
  it('who are you: two choices, each with a description', () => {
    const a = ask({ step: 'audience', presets });
    expect(a).toMatchObject({ type: 'select', message: 'Who are you?' });
    expect(a.type === 'select' && a.choices.map((c) => [c.value, Boolean(c.description)])).toEqual([
      ['sender', true],
      ['admin', true],
    ]);
  });
  it('the three ways to give the bounce', () => {
    const a = ask({ step: 'input-method', audience: 'sender', presets });
    expect(a.type === 'select' && a.choices.map((c) => c.value)).toEqual(['file', 'paste', 'code']);
  });
  it('one input kind per method', () => {
    expect(ask({ step: 'input', audience: 'sender', method: 'file', presets })).toMatchObject({ type: 'input', check: 'path' });
    expect(ask({ step: 'input', audience: 'sender', method: 'code', presets })).toMatchObject({ type: 'input', check: 'code' });
    expect(ask({ step: 'input', audience: 'sender', method: 'paste', presets })).toMatchObject({ type: 'multiline' });
  });
  it('lists the recipients to choose from', () => {
    const a = ask({ step: 'pick-finding', session: twoRecipients });
    expect(a.type === 'select' && a.choices.map((c) => c.name)).toEqual([
      'alice@contoso.com  5.1.10  Recipient not found',
      'carol@contoso.com  5.3.4  Message too big',
    ]);
  });
  it('a solution of your own asks "Did this solve it?"', () =>
    expect(ask({ step: 'solution', session: sender, index: 0 })).toMatchObject({ type: 'confirm', message: 'Did this solve it?' }));
  it('a hand-off offers a note', () =>
    expect(ask({ step: 'solution', session: sender, index: 1 })).toMatchObject({
      type: 'confirm',
      message: 'Print a ready-to-send note for the recipient?',
    }));
  it('offers the checks for the recipient domain', () =>
    expect(ask({ step: 'offer-checks', session: admin, domain: 'contoso.com' })).toMatchObject({
      type: 'select',
      message: 'Run the DNS checks (MX) for contoso.com now?',
    }));
  it('without a domain, asks for one', () => {
    const a = ask({ step: 'offer-checks', session: admin, domain: null });
    expect(a).toMatchObject({ message: "Run the DNS checks (MX) for the recipient's domain now?" });
    expect(a.type === 'select' && a.choices.map((c) => c.value)).toEqual(['other', 'skip']);
  });
  it('the domain is editable, prefilled', () =>
    expect(ask({ step: 'edit-domain', session: admin, domain: 'contoso.com' })).toMatchObject({
      type: 'input',
      default: 'contoso.com',
      check: 'domain',
    }));
});

describe('what each state shows', () => {
  const kinds = (s: State) => view(s).show.map((b) => b.kind);
  const note = (s: State) => view(s).show.find((b): b is Extract<Block, { kind: 'note' }> => b.kind === 'note')!.note;
  it('the diagnosis', () => expect(kinds({ step: 'diagnosis', session: sender })).toEqual(['diagnosis']));
  it('a hand-off says who acts', () =>
    expect(view({ step: 'solution', session: sender, index: 1 }).show[0]).toMatchObject({
      kind: 'solution',
      actor: 'recipient',
      handoff: true,
      letter: 'B',
      total: 2,
    }));
  it("an admin fix for the recipient side is the admin's own", () =>
    expect(view({ step: 'solution', session: admin, index: 0 }).show[0]).toMatchObject({ actor: 'recipient-admin', handoff: false }));
  it('solved: a summary and the commands', () => {
    const show = view({ step: 'solved', session: sender, index: 0 }).show;
    expect(show.map((b) => b.kind)).toEqual(['message', 'commands']);
    expect(show[0]).toMatchObject({
      text: 'Solved: 5.1.10 Recipient not found for alice@contoso.com, by A. Check the address and send again.',
    });
  });
  it('the sender runs out: the note for the admin ends it', () => {
    expect(kinds({ step: 'exhausted', session: sender })).toEqual(['message', 'note', 'commands']);
    const n = note({ step: 'exhausted', session: sender });
    expect(n.addressee).toBe('recipient-admin');
    expect(n.lines.join('\n')).toMatch(/Make sure the mailbox exists/);
    expect(n.lines.join('\n')).not.toMatch(/group owner/i);
  });
  it('the hand-off note carries the solution for the recipient', () => {
    const n = note({ step: 'note', session: sender, index: 1 });
    expect(n.addressee).toBe('recipient');
    expect(n.lines.join('\n')).toMatch(/Ask the recipient for their current address/);
  });
  it('the admin runs out: commands for the ticket', () =>
    expect(kinds({ step: 'exhausted', session: { ...admin, checked: 'contoso.com' } })).toEqual(['message', 'commands']));
  it('check results point failing checks to their fix', () => {
    const b = view({
      step: 'check-results',
      session: admin,
      domain: 'contoso.com',
      results: [{ id: 'mx-records', status: 'fail', message: 'no MX', evidence: [], fix: null }],
    }).show[0];
    expect(b).toMatchObject({ kind: 'checks', pointers: ['solution B below: Check that the MX record points to Exchange Online'] });
  });
  it('a failing family points to its fix once', () => {
    const r = (id: CheckResult['id'], status: 'pass' | 'fail' | 'warn'): CheckResult => ({
      id,
      status,
      message: '',
      evidence: [],
      fix: null,
    });
    const e = kb.byId.get('recipient-not-found')!;
    expect(checkPointers(e, [r('mx-records', 'pass'), r('mx-target', 'fail'), r('mx-resolves', 'warn'), r('spf-record', 'fail')])).toEqual([
      null,
      'solution B below: Check that the MX record points to Exchange Online',
      null,
      null,
    ]);
  });
});
