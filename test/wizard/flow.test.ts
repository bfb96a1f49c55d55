import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { explainText } from '../../src/knowledge/explain.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { CheckResult } from '../../src/checks/types.js';
import { normalizeDomain } from '../../src/dns/index.js';
import { adminStepsFor, checkDomainFor, checkPointers, escalationRole, pathSolutions, replayCommands, sessionSolutions, shortArgument, solutionsDifferByClient } from '../../src/wizard/session.js';
import { initialState, next, typedDomain } from '../../src/wizard/transitions.js';
import type { Answer, Block, Presets, Session, State } from '../../src/wizard/types.js';
import { view } from '../../src/wizard/views.js';

const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('./fixtures/kb/', import.meta.url)) });

function finding(code: string, recipient: string | null = null): Finding {
  const f = explainText(kb, code).findings[0]!;
  return { ...f, recipient };
}

const presets: Presets = { audience: null, input: null, replayFlags: [] };
const code = (c: string) => ({ method: 'code' as const, code: c });

function session(over: Partial<Session> & { findings?: Finding[] } = {}): Session {
  const { findings, ...rest } = over;
  return {
    audience: 'sender',
    input: code('5.1.10'),
    loaded: { findings: findings ?? [finding('5.1.10', 'alice@contoso.com')], sender: 'bob@fabrikam.com' },
    finding: 0,
    checked: null,
    client: null,
    replayFlags: [],
    ...rest,
  };
}
const sender = session();
const admin = session({ audience: 'admin' });
const twoRecipients = session({ findings: [finding('5.1.10', 'alice@contoso.com'), finding('5.3.4', 'carol@contoso.com')] });

const choice = (value: string): Answer => ({ type: 'choice', value });
const yes: Answer = { type: 'yes-no', value: true };
const no: Answer = { type: 'yes-no', value: false };
const text = (value: string): Answer => ({ type: 'text', value });
const shown: Answer = { type: 'shown' };
const loaded = (...findings: Finding[]): Answer => ({ type: 'loaded', loaded: { findings, sender: null } });

/** Drops the session so rows can name just the fields that change. */
function shape(s: State): Record<string, unknown> {
  const { session: sess, presets: _p, ...rest } = s as State & { session?: Session; presets?: Presets };
  return sess ? { ...rest, finding: sess.finding, audience: sess.audience, checked: sess.checked } : rest;
}

const ok = (name: string, state: State, answer: Answer, expected: Record<string, unknown>) =>
  it(`${state.step} + ${name} -> ${String(expected.step)}`, () => expect(shape(next(state, answer))).toMatchObject(expected));

describe('transitions: state + answer -> next state', () => {
  ok('sender', { step: 'audience', presets }, choice('sender'), { step: 'input-method', audience: 'sender' });
  ok('admin', { step: 'audience', presets }, choice('admin'), { step: 'input-method', audience: 'admin' });
  ok('admin, --code preset', { step: 'audience', presets: { ...presets, input: code('5.1.10') } }, choice('admin'), { step: 'load', input: code('5.1.10') });
  ok('file', { step: 'input-method', audience: 'sender', presets }, choice('file'), { step: 'input', method: 'file' });
  ok('paste', { step: 'input-method', audience: 'sender', presets }, choice('paste'), { step: 'input', method: 'paste' });
  ok('code', { step: 'input-method', audience: 'sender', presets }, choice('code'), { step: 'input', method: 'code' });
  ok('a path', { step: 'input', audience: 'admin', method: 'file', presets }, text('/tmp/b.eml'), { step: 'load', input: { method: 'file', path: '/tmp/b.eml' } });
  ok('pasted text', { step: 'input', audience: 'admin', method: 'paste', presets }, text('550 5.1.10 x\ny'), { step: 'load', input: { method: 'paste', text: '550 5.1.10 x\ny' } });
  ok('a code', { step: 'input', audience: 'admin', method: 'code', presets }, text('5.1.10'), { step: 'load', input: code('5.1.10') });
  ok('one finding', { step: 'load', audience: 'sender', input: code('5.1.10'), presets }, loaded(finding('5.1.10')), { step: 'diagnosis', finding: 0 });
  ok('two findings', { step: 'load', audience: 'sender', input: code('5.1.10'), presets }, loaded(finding('5.1.10'), finding('5.3.4')), { step: 'pick-finding' });
  ok('no findings', { step: 'load', audience: 'sender', input: code('hello'), presets }, loaded(), { step: 'not-found' });
  ok('an unreadable file', { step: 'load', audience: 'sender', input: code('x'), presets }, { type: 'load-failed', message: 'binary data' }, { step: 'not-found', message: 'binary data' });
  ok('retry', { step: 'not-found', audience: 'sender', input: code('x'), message: 'm', presets: { ...presets, input: code('x') } }, choice('retry'), { step: 'input-method' });
  ok('quit', { step: 'not-found', audience: 'sender', input: code('x'), message: 'm', presets }, choice('quit'), { step: 'quit' });
  ok('the second recipient', { step: 'pick-finding', session: twoRecipients }, choice('1'), { step: 'diagnosis', finding: 1 });
  // Sender path.
  ok('shown (sender)', { step: 'diagnosis', session: sender }, shown, { step: 'solution', index: 0 });
  ok('solved', { step: 'solution', session: sender, index: 0 }, yes, { step: 'solved', index: 0 });
  ok('not solved', { step: 'solution', session: sender, index: 0 }, no, { step: 'solution', index: 1 });
  ok('note wanted (hand-off)', { step: 'solution', session: sender, index: 1 }, yes, { step: 'note', index: 1 });
  ok('no note (hand-off)', { step: 'solution', session: sender, index: 1 }, no, { step: 'ask-solved', index: 1 });
  ok('note shown', { step: 'note', session: sender, index: 1 }, shown, { step: 'ask-solved', index: 1 });
  ok('solved after the note', { step: 'ask-solved', session: sender, index: 1 }, yes, { step: 'solved', index: 1 });
  ok('last one not solved', { step: 'ask-solved', session: sender, index: 1 }, no, { step: 'exhausted' });
  // Admin path.
  ok('shown (admin, entry with checks)', { step: 'diagnosis', session: admin }, shown, { step: 'offer-checks', domain: 'contoso.com' });
  ok('shown (admin, no checks)', { step: 'diagnosis', session: session({ audience: 'admin', findings: [finding('5.3.4')] }) }, shown, { step: 'solution', index: 0 });
  ok('run', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('run'), { step: 'run-checks', domain: 'contoso.com' });
  ok('other domain', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('other'), { step: 'edit-domain', domain: 'contoso.com' });
  ok('skip', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('skip'), { step: 'solution', index: 0 });
  ok('edited domain', { step: 'edit-domain', session: admin, domain: 'contoso.com' }, text(' Fabrikam.COM. '), { step: 'run-checks', domain: 'fabrikam.com' });
  ok('results', { step: 'run-checks', session: admin, domain: 'contoso.com' }, { type: 'checked', results: [] }, { step: 'check-results', checked: 'contoso.com' });
  ok('results shown', { step: 'check-results', session: admin, domain: 'contoso.com', results: [] }, shown, { step: 'solution', index: 0 });
  ok('own admin fix not solved', { step: 'solution', session: admin, index: 1 }, no, { step: 'solution', index: 2 });
  ok('group owner hand-off, note', { step: 'solution', session: admin, index: 2 }, yes, { step: 'note', index: 2 });
  ok('last admin fix not solved', { step: 'ask-solved', session: admin, index: 2 }, no, { step: 'exhausted' });
  ok('no entry: nothing to walk', { step: 'diagnosis', session: session({ findings: [finding('4.2.2')] }) }, shown, { step: 'exhausted' });
});

describe('which Outlook, asked only where the solutions differ', () => {
  const stale = session({ findings: [finding('5.1.11', 'alice@contoso.com')] });
  const titles = (st: State) => sessionSolutions((st as { session: Session }).session).map((p) => p.solution.title);
  ok('shown (sender, solutions per Outlook)', { step: 'diagnosis', session: stale }, shown, { step: 'ask-client' });
  ok('shown (sender, one way for all)', { step: 'diagnosis', session: sender }, shown, { step: 'solution', index: 0 });
  it('asks before the first solution, with the three answers', () => {
    const a = view({ step: 'ask-client', session: stale }).ask;
    expect(a).toMatchObject({ type: 'select', message: 'Which Outlook do you send mail with? The steps differ.' });
    expect(a.type === 'select' && a.choices.map((c) => c.value)).toEqual(['outlook-web', 'outlook-classic', 'any']);
  });
  const pick = (value: string, expected: string[]) =>
    it(`${value}: ${expected.join('; ')}`, () => {
      const st = next({ step: 'ask-client', session: stale }, choice(value));
      expect(shape(st)).toMatchObject({ step: 'solution', index: 0 });
      expect(titles(st)).toEqual(expected);
      const first = view(st).show[0] as Extract<Block, { kind: 'solution' }>;
      expect(first.total).toBe(expected.length);
    });
  pick('outlook-web', ['Remove the suggestion in Outlook on the web', 'Type the address by hand']);
  pick('outlook-classic', ['Remove the suggestion in classic Outlook', 'Type the address by hand']);
  pick('any', ['Remove the suggestion in classic Outlook', 'Remove the suggestion in Outlook on the web', 'Type the address by hand']);
  it('a webmail user who says no to every step ends at the note, never seeing the desktop steps', () => {
    let st = next({ step: 'ask-client', session: stale }, choice('outlook-web'));
    const seen: string[] = [];
    while (st.step === 'solution') {
      seen.push((view(st).show[0] as Extract<Block, { kind: 'solution' }>).solution.title);
      st = next(st, no);
    }
    expect(st.step).toBe('exhausted');
    expect(seen.join()).not.toMatch(/classic/);
  });
  it('only where they differ', () => {
    expect(solutionsDifferByClient(kb.byId.get('stale-suggestion')!, 'sender')).toBe(true);
    expect(solutionsDifferByClient(kb.byId.get('recipient-not-found')!, 'sender')).toBe(false);
  });
  it('another answer is a bug', () => expect(() => next({ step: 'ask-client', session: stale }, choice('thunderbird'))).toThrow(/does not fit/));
});

describe('answers that do not fit a state are bugs', () => {
  const bad = (state: State, answer: Answer) => it(`${state.step} + ${answer.type}`, () => expect(() => next(state, answer)).toThrow(/does not fit/));
  bad({ step: 'audience', presets }, choice('boss'));
  bad({ step: 'audience', presets }, yes);
  bad({ step: 'pick-finding', session: twoRecipients }, choice('2'));
  bad({ step: 'offer-checks', session: admin, domain: null }, choice('run'));
  bad({ step: 'edit-domain', session: admin, domain: null }, text('not a domain'));
  bad({ step: 'solved', session: sender, index: 0 }, shown);
});

describe('start', () => {
  const start = (p: Partial<Presets>) => shape(initialState({ ...presets, ...p }));
  it('asks who you are first', () => expect(start({})).toEqual({ step: 'audience' }));
  it('--audience skips that', () => expect(start({ audience: 'admin' })).toEqual({ step: 'input-method', audience: 'admin' }));
  it('--audience and --code go straight to the diagnosis', () => expect(start({ audience: 'sender', input: code('5.1.10') })).toMatchObject({ step: 'load' }));
});

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
    expect(a.type === 'select' && a.choices.map((c) => c.name)).toEqual(['alice@contoso.com  5.1.10  Recipient not found', 'carol@contoso.com  5.3.4  Message too big']);
  });
  it('a solution of your own asks "Did this solve it?"', () => expect(ask({ step: 'solution', session: sender, index: 0 })).toMatchObject({ type: 'confirm', message: 'Did this solve it?' }));
  it('a hand-off offers a note', () => expect(ask({ step: 'solution', session: sender, index: 1 })).toMatchObject({ type: 'confirm', message: 'Print a ready-to-send note for the recipient?' }));
  it('offers the checks for the recipient domain', () =>
    expect(ask({ step: 'offer-checks', session: admin, domain: 'contoso.com' })).toMatchObject({ type: 'select', message: 'Run the DNS checks (MX) for contoso.com now?' }));
  it('without a domain, asks for one', () => {
    const a = ask({ step: 'offer-checks', session: admin, domain: null });
    expect(a).toMatchObject({ message: "Run the DNS checks (MX) for the recipient's domain now?" });
    expect(a.type === 'select' && a.choices.map((c) => c.value)).toEqual(['other', 'skip']);
  });
  it('the domain is editable, prefilled', () => expect(ask({ step: 'edit-domain', session: admin, domain: 'contoso.com' })).toMatchObject({ type: 'input', default: 'contoso.com', check: 'domain' }));
});

describe('what each state shows', () => {
  const kinds = (s: State) => view(s).show.map((b) => b.kind);
  const note = (s: State) => view(s).show.find((b): b is Extract<Block, { kind: 'note' }> => b.kind === 'note')!.note;
  it('the diagnosis', () => expect(kinds({ step: 'diagnosis', session: sender })).toEqual(['diagnosis']));
  it('a hand-off says who acts', () => expect(view({ step: 'solution', session: sender, index: 1 }).show[0]).toMatchObject({ kind: 'solution', actor: 'recipient', handoff: true, letter: 'B', total: 2 }));
  it('an admin fix for the recipient side is the admin\'s own', () => expect(view({ step: 'solution', session: admin, index: 0 }).show[0]).toMatchObject({ actor: 'recipient-admin', handoff: false }));
  it('solved: a summary and the commands', () => {
    const show = view({ step: 'solved', session: sender, index: 0 }).show;
    expect(show.map((b) => b.kind)).toEqual(['message', 'commands']);
    expect(show[0]).toMatchObject({ text: 'Solved: 5.1.10 Recipient not found for alice@contoso.com, by A. Check the address and send again.' });
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
  it('the admin runs out: commands for the ticket', () => expect(kinds({ step: 'exhausted', session: { ...admin, checked: 'contoso.com' } })).toEqual(['message', 'commands']));
  it('check results point failing checks to their fix', () => {
    const b = view({ step: 'check-results', session: admin, domain: 'contoso.com', results: [{ id: 'mx-records', status: 'fail', message: 'no MX', evidence: [], fix: null }] }).show[0];
    expect(b).toMatchObject({ kind: 'checks', pointers: ['solution B below: Check that the MX record points to Exchange Online'] });
  });
  it('a failing family points to its fix once', () => {
    const r = (id: CheckResult['id'], status: 'pass' | 'fail' | 'warn'): CheckResult => ({ id, status, message: '', evidence: [], fix: null });
    const e = kb.byId.get('recipient-not-found')!;
    expect(checkPointers(e, [r('mx-records', 'pass'), r('mx-target', 'fail'), r('mx-resolves', 'warn'), r('spf-record', 'fail')])).toEqual([
      null,
      'solution B below: Check that the MX record points to Exchange Online',
      null,
      null,
    ]);
  });
});

describe('derived facts', () => {
  const entry = (id: string) => kb.byId.get(id)!;
  it('sender solutions: own and hand-offs', () =>
    expect(pathSolutions(entry('recipient-not-found'), 'sender').map((p) => [p.actor, p.handoff])).toEqual([
      ['sender', false],
      ['recipient', true],
    ]));
  it('admin solutions: group owner is a hand-off', () =>
    expect(pathSolutions(entry('recipient-not-found'), 'admin').map((p) => [p.actor, p.handoff])).toEqual([
      ['recipient-admin', false],
      ['recipient-admin', false],
      ['group-owner', true],
    ]));
  it('an entry with no admin solutions hands the sender ones to the sender', () =>
    expect(pathSolutions(entry('message-too-big'), 'admin').map((p) => [p.actor, p.handoff])).toEqual([['sender', true]]));
  it('escalation goes to the first owner who is not the sender', () => {
    expect(escalationRole(entry('recipient-not-found'))).toBe('recipient-admin');
    expect(escalationRole(entry('message-too-big'))).toBe('sender-admin');
    expect(escalationRole(null)).toBe('sender-admin');
    // The note carries the admin's steps, so an admin owner comes before the recipient.
    expect(escalationRole({ ...entry('recipient-not-found'), owner: ['sender', 'recipient', 'recipient-admin'] })).toBe('recipient-admin');
    expect(escalationRole({ ...entry('recipient-not-found'), owner: ['sender', 'group-owner'] })).toBe('group-owner');
  });
  it('admin steps for a role', () => expect(adminStepsFor(entry('recipient-not-found'), 'group-owner').map((s) => s.title)).toEqual(['Ask the group owner to allow senders from outside']));
  it('the sender domain when the entry says so', () => {
    const s = session({ audience: 'admin', findings: [finding('5.7.23', 'alice@contoso.com')] });
    expect(checkDomainFor(s)).toBe('fabrikam.com');
  });
});

describe('a typed domain: the wizard accepts exactly what ndr check-mx accepts', () => {
  /** check-mx's argument rule (the function its command calls): the domain, or null where it refuses. */
  const checkMx = (input: string) => {
    try {
      return normalizeDomain(input);
    } catch {
      return null;
    }
  };
  const dom = (input: string, expected: string | null) =>
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      expect(typedDomain(input)).toBe(expected);
      expect(checkMx(input)).toBe(expected);
    });
  dom('contoso.com', 'contoso.com');
  dom('Contoso.COM.', 'contoso.com');
  dom('bücher.example', 'xn--bcher-kva.example');
  dom('localhost', null);
  dom('a b.com', null);
  dom('contoso..com', null);
  // Refused since issue 13 (the wizard used to take them, check-mx never did): IP addresses in any form.
  dom('1.2.3.4', null);
  dom('0x7f.1', null);
  dom('[2001:db8::1]', null);
  dom('2001:db8::1', null);
  // Accepted since issue 13, as check-mx does: an address or URL gives its domain.
  dom('x@contoso.com', 'contoso.com');
  dom('https://www.contoso.com/x', 'www.contoso.com');
  dom('_dmarc.contoso.com', '_dmarc.contoso.com');
});

describe('the domain offered for the checks', () => {
  const offered = (recipient: string) => checkDomainFor(session({ audience: 'admin', findings: [finding('5.1.10', recipient)] }));
  it('the recipient\'s domain', () => expect(offered('Alice@Contoso.com')).toBe('contoso.com'));
  it('none for an address at an IP literal', () => {
    expect(offered('alice@[192.0.2.1]')).toBe(null);
    expect(offered('alice@192.0.2.1')).toBe(null);
  });
  it('none without an "@"', () => expect(offered('no-at-sign')).toBe(null));
  it('a domain that starts with a hyphen is repeated after "--"', () =>
    expect(replayCommands('admin', { method: 'code', code: '5.1.10' }, [], { ...session({ audience: 'admin' }), checked: '-x.example' })[1]).toEqual(['ndr', 'check-mx', '--', '-x.example']));
});

describe('the equivalent commands', () => {
  const cmds = (s: Session) => replayCommands(s.audience, s.input, s.replayFlags, s);
  it('a code', () => expect(cmds(sender)).toEqual([['ndr', 'explain', '5.1.10', '--audience', 'sender']]));
  it('a file, with --kb, and the checks that ran', () =>
    expect(cmds({ ...admin, input: { method: 'file', path: '/tmp/b.eml' }, replayFlags: ['--kb', 'org'], checked: 'contoso.com' })).toEqual([
      ['ndr', 'explain', '/tmp/b.eml', '--audience', 'admin', '--kb', 'org'],
      ['ndr', 'check-mx', 'contoso.com'],
    ]));
  it('pasted text becomes the code it produced, not the whole text', () => {
    const f = explainText(kb, 'Remote server said: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found').findings[0]!;
    expect(cmds({ ...sender, input: { method: 'paste', text: 'x' }, loaded: { findings: [f], sender: null } })[0]).toEqual([
      'ndr',
      'explain',
      '550 5.1.10',
      '--audience',
      'sender',
    ]);
  });
  it('pasted text matched by its words: the code and those words, short', () => {
    const f = explainText(kb, '550 5.1.10 recipient gone').findings[0]!;
    const byPattern = { ...f, match: { ...f.match!, tier: 'pattern' as const, matched: 'RESOLVER.ADR.RecipientNotFound' } };
    expect(shortArgument(byPattern)).toBe('550 5.1.10 RESOLVER.ADR.RecipientNotFound');
    expect(shortArgument({ ...byPattern, replyCode: null, status: null, match: { ...byPattern.match, tier: 'text' as const, matched: 'x '.repeat(60) } })).toBe(null);
  });
  it('pasted text that gave nothing: paste it again on standard input', () =>
    expect(replayCommands('sender', { method: 'paste', text: 'a long pasted bounce '.repeat(50) }, [], null)).toEqual([['ndr', 'explain', '-', '--audience', 'sender']]));
  it('the DNS flags go with ndr check-mx', () =>
    expect(cmds({ ...admin, checked: 'contoso.com', checkFlags: ['--nameserver', '127.0.0.1:5353', '--timeout', '1'] })[1]).toEqual([
      'ndr', 'check-mx', '--nameserver', '127.0.0.1:5353', '--timeout', '1', 'contoso.com',
    ]));
  it('an argument that looks like an option goes after --', () =>
    expect(cmds({ ...sender, input: { method: 'file', path: '-x.eml' } })[0]).toEqual(['ndr', 'explain', './-x.eml', '--audience', 'sender']));
});
