import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/text.js';
import { adminStepsFor, checkDomainFor, escalationRole, pathSolutions, replayCommands, shortArgument } from '../../src/wizard/session.js';
import type { Session } from '../../src/wizard/types.js';
import { admin, finding, kb, sender, session } from './sessions.js';

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
  it('admin steps for a role', () =>
    expect(adminStepsFor(entry('recipient-not-found'), 'group-owner').map((s) => s.title)).toEqual([
      'Ask the group owner to allow senders from outside',
    ]));
  it('the sender domain when the entry says so', () => {
    const s = session({ audience: 'admin', findings: [finding('5.7.23', 'alice@contoso.com')] });
    expect(checkDomainFor(s)).toBe('fabrikam.com');
  });
});

describe('the domain offered for the checks', () => {
  const offered = (recipient: string) => checkDomainFor(session({ audience: 'admin', findings: [finding('5.1.10', recipient)] }));
  it("the recipient's domain", () => expect(offered('Alice@Contoso.com')).toBe('contoso.com'));
  it('none for an address at an IP literal', () => {
    expect(offered('alice@[192.0.2.1]')).toBe(null);
    expect(offered('alice@192.0.2.1')).toBe(null);
  });
  it('none without an "@"', () => expect(offered('no-at-sign')).toBe(null));
  it('a domain that starts with a hyphen is repeated after "--"', () =>
    expect(
      replayCommands('admin', { method: 'code', code: '5.1.10' }, [], { ...session({ audience: 'admin' }), checked: '-x.example' })[1],
    ).toEqual(['ndr', 'check-mx', '--', '-x.example']));
});

describe('the equivalent commands', () => {
  const cmds = (s: Session) => replayCommands(s.audience, s.input, s.replayFlags, s);
  it('a code', () => expect(cmds(sender)).toEqual([['ndr', 'explain', '5.1.10', '--audience', 'sender']]));
  it('a file, with --kb, and the checks that ran', () =>
    expect(cmds({ ...admin, input: { method: 'file', path: '/tmp/b.eml' }, replayFlags: ['--kb', 'org'], checked: 'contoso.com' })).toEqual(
      [
        ['ndr', 'explain', '/tmp/b.eml', '--audience', 'admin', '--kb', 'org'],
        ['ndr', 'check-mx', 'contoso.com'],
      ],
    ));
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
    expect(
      shortArgument({
        ...byPattern,
        replyCode: null,
        status: null,
        match: { ...byPattern.match, tier: 'text' as const, matched: 'x '.repeat(60) },
      }),
    ).toBe(null);
  });
  it('pasted text that gave nothing: paste it again on standard input', () =>
    expect(replayCommands('sender', { method: 'paste', text: 'a long pasted bounce '.repeat(50) }, [], null)).toEqual([
      ['ndr', 'explain', '-', '--audience', 'sender'],
    ]));
  it('the DNS flags go with ndr check-mx', () =>
    expect(cmds({ ...admin, checked: 'contoso.com', checkFlags: ['--nameserver', '127.0.0.1:5353', '--timeout', '1'] })[1]).toEqual([
      'ndr',
      'check-mx',
      '--nameserver',
      '127.0.0.1:5353',
      '--timeout',
      '1',
      'contoso.com',
    ]));
  it('an argument that looks like an option goes after --', () =>
    expect(cmds({ ...sender, input: { method: 'file', path: '-x.eml' } })[0]).toEqual([
      'ndr',
      'explain',
      './-x.eml',
      '--audience',
      'sender',
    ]));
});
