import { describe, expect, it } from 'vitest';
import { normalizeDomain } from '../../src/domain/name.js';
import { sessionSolutions, solutionsDifferByClient } from '../../src/wizard/session.js';
import { initialState, next, typedDomain } from '../../src/wizard/transitions.js';
import type { Answer, Block, Presets, Session, State } from '../../src/wizard/types.js';
import { view } from '../../src/wizard/views.js';
import { admin, choice, code, finding, kb, loaded, no, presets, sender, session, shown, text, twoRecipients, yes } from './sessions.js';

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
  ok('admin, --code preset', { step: 'audience', presets: { ...presets, input: code('5.1.10') } }, choice('admin'), {
    step: 'load',
    input: code('5.1.10'),
  });
  ok('file', { step: 'input-method', audience: 'sender', presets }, choice('file'), { step: 'input', method: 'file' });
  ok('paste', { step: 'input-method', audience: 'sender', presets }, choice('paste'), { step: 'input', method: 'paste' });
  ok('code', { step: 'input-method', audience: 'sender', presets }, choice('code'), { step: 'input', method: 'code' });
  ok('a path', { step: 'input', audience: 'admin', method: 'file', presets }, text('/tmp/b.eml'), {
    step: 'load',
    input: { method: 'file', path: '/tmp/b.eml' },
  });
  ok('pasted text', { step: 'input', audience: 'admin', method: 'paste', presets }, text('550 5.1.10 x\ny'), {
    step: 'load',
    input: { method: 'paste', text: '550 5.1.10 x\ny' },
  });
  ok('a code', { step: 'input', audience: 'admin', method: 'code', presets }, text('5.1.10'), { step: 'load', input: code('5.1.10') });
  ok('one finding', { step: 'load', audience: 'sender', input: code('5.1.10'), presets }, loaded(finding('5.1.10')), {
    step: 'diagnosis',
    finding: 0,
  });
  ok('two findings', { step: 'load', audience: 'sender', input: code('5.1.10'), presets }, loaded(finding('5.1.10'), finding('5.3.4')), {
    step: 'pick-finding',
  });
  ok('no findings', { step: 'load', audience: 'sender', input: code('hello'), presets }, loaded(), { step: 'not-found' });
  ok(
    'an unreadable file',
    { step: 'load', audience: 'sender', input: code('x'), presets },
    { type: 'load-failed', message: 'binary data' },
    { step: 'not-found', message: 'binary data' },
  );
  ok(
    'retry',
    { step: 'not-found', audience: 'sender', input: code('x'), message: 'm', presets: { ...presets, input: code('x') } },
    choice('retry'),
    { step: 'input-method' },
  );
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
  ok('shown (admin, no checks)', { step: 'diagnosis', session: session({ audience: 'admin', findings: [finding('5.3.4')] }) }, shown, {
    step: 'solution',
    index: 0,
  });
  ok('run', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('run'), { step: 'run-checks', domain: 'contoso.com' });
  ok('other domain', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('other'), {
    step: 'edit-domain',
    domain: 'contoso.com',
  });
  ok('skip', { step: 'offer-checks', session: admin, domain: 'contoso.com' }, choice('skip'), { step: 'solution', index: 0 });
  ok('edited domain', { step: 'edit-domain', session: admin, domain: 'contoso.com' }, text(' Fabrikam.COM. '), {
    step: 'run-checks',
    domain: 'fabrikam.com',
  });
  ok(
    'results',
    { step: 'run-checks', session: admin, domain: 'contoso.com' },
    { type: 'checked', results: [] },
    { step: 'check-results', checked: 'contoso.com' },
  );
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
  it('another answer is a bug', () =>
    expect(() => next({ step: 'ask-client', session: stale }, choice('thunderbird'))).toThrow(/does not fit/));
});

describe('answers that do not fit a state are bugs', () => {
  const bad = (state: State, answer: Answer) =>
    it(`${state.step} + ${answer.type}`, () => expect(() => next(state, answer)).toThrow(/does not fit/));
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
  it('--audience and --code go straight to the diagnosis', () =>
    expect(start({ audience: 'sender', input: code('5.1.10') })).toMatchObject({ step: 'load' }));
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
