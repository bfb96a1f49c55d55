import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';

const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('../fixtures/kb/precedence/', import.meta.url)) });

function picks(input: string) {
  return explainText(kb, input).findings.map((f) =>
    f.match ? `${f.match.entry.id}/${f.match.tier}` : `generic:${f.generic?.code ?? f.generic?.replyCode?.code}`,
  );
}

const ok = (input: string, ...expected: string[]) => it(`${input} -> ${expected.join(', ')}`, () => expect(picks(input)).toEqual(expected));

describe('matching precedence: text pattern + code > exact code > code range > class fallback', () => {
  ok('5.7.1', 'plain-default/exact');
  ok('550 5.7.1 Unable to relay', 'relay-variant/pattern');
  ok('554 5.7.1 Relay access denied for this domain', 'relay-variant/pattern');
  ok('5.7.606 Access denied, banned sending IP [192.0.2.1]', 'range-variant/pattern');
  ok('5.7.606', 'narrow-range/range');
  ok('5.7.649', 'narrow-range/range');
  ok('5.7.650', 'family/range');
  ok('5.7.999', 'family/range');
  ok('5.7.0', 'family/range');
  ok('5.2.2', 'fallback-variant/exact');
  ok('552 5.2.2 Mailbox full', 'fallback-variant/pattern');
  ok('554 5.2.2 Submission quota exceeded', 'quota-variant/pattern');
  ok('4.2.2', 'generic:4.2.2');
  ok('5.3.4', 'generic:5.3.4');
  ok('550 RESOLVER.RST.AuthRequired; authentication required', 'token-only/text');
  ok('RESOLVER.RST.AuthRequired', 'token-only/text');
  ok('550 Requested action not taken', 'generic:550');
});

describe('codes in pasted text', () => {
  ok('550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Relaying denied', 'family/range', 'relay-variant/pattern');
  ok("Remote Server returned '550 5.7.1 Unable to relay'; the code 5.7.1 again", 'relay-variant/pattern');
  ok('Delivery to [10.4.5.2] and [5.4.1.2] failed with 5.7.620', 'narrow-range/range');

  it('marks a reply embedded in an Exchange wrapper', () => {
    const [outer, inner] = explainText(
      kb,
      '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Relaying denied',
    ).findings;
    expect(outer).toMatchObject({ status: '5.7.350', replyCode: '550', wrappedBy: null });
    expect(inner).toMatchObject({ status: '5.7.1', replyCode: '554', wrappedBy: '5.7.350' });
  });

  it('says which text matched', () => {
    const [f] = explainText(kb, '550 5.7.1 Unable to relay for contoso.com').findings;
    expect(f!.match).toMatchObject({ tier: 'pattern', matched: 'Unable to relay' });
  });

  it('pairs a reply code with the enhanced code after it', () => {
    expect(explainText(kb, '550-5.7.1 Unable to relay').findings[0]).toMatchObject({ replyCode: '550', status: '5.7.1' });
    expect(explainText(kb, '#550 5.7.1 Unable to relay ##').findings[0]).toMatchObject({ replyCode: '550', status: '5.7.1' });
    expect(explainText(kb, '5.7.1').findings[0]).toMatchObject({ replyCode: null, status: '5.7.1' });
  });

  it('classifies a bare code and pasted prose', () => {
    expect(explainText(kb, '550 5.7.1').kind).toBe('code');
    expect(explainText(kb, '5.7.1').kind).toBe('code');
    expect(explainText(kb, '550 5.7.1 Unable to relay').kind).toBe('text');
  });

  it('finds nothing in text without codes or known words', () => {
    expect(explainText(kb, 'hello, is anybody there?').findings).toEqual([]);
    expect(explainText(kb, 'version 15.20.1234 at 192.168.4.5').findings).toEqual([]);
  });

  it('gives the RFC 3463 meaning of class, subject and detail', () => {
    const [f] = explainText(kb, '4.2.2').findings;
    expect(f!.generic).toMatchObject({
      code: '4.2.2',
      temporary: true,
      class: { name: 'Persistent transient failure' },
      subject: { name: 'Mailbox status' },
      detail: { code: '4.2.2', name: 'Mailbox full' },
    });
    const [g] = explainText(kb, '5.4.999').findings;
    expect(g!.generic).toMatchObject({ temporary: false, subject: { name: 'Network and routing status' }, detail: null });
  });

  // Whether the server tries again: a 4.x.x code says so, unless the reply is 5xx or the
  // delivery time expired (4.4.7: the retrying is over when the bounce arrives).
  it.each([
    ['4.2.2', true],
    ['452 4.2.2 Mailbox full', true],
    ['421 Service not available', true],
    ['4.4.7', false],
    ['#550 4.4.7 QUEUE.Expired; message expired ##', false],
    ['550 4.7.0 Temporary authentication failure', false],
    ['550 5.1.1 User unknown', false],
  ])('%s: temporary %s', (input, temporary) => {
    expect(explainText(kb, input).findings[0]!.generic).toMatchObject({ temporary });
  });
});
