/**
 * The layout of one explained finding, focused and --full, with colour off: a
 * snapshot, because the text layout is the product (STYLE.md lesson 9). The
 * entry is made up here, so knowledge-base edits do not move the snapshots.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/explain/finding.js';
import type { KbEntry } from '../../src/knowledge/types.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { REASON_WORDS } from '../../src/knowledge/reasons.js';
import { groupByEntry, lifetimeOf, moreLine, reasonLines, renderFindingText, type TextOptions } from '../../src/render/finding-text.js';
import { plainStyle } from '../../src/render/style.js';
import { visibleWidth } from '../../src/render/wrap.js';

const steps = (n: number, what: string) =>
  Array.from({ length: n }, (_, i) => `${what} step ${i + 1}: do the thing that this step of the procedure describes, carefully.`);

const ENTRY: KbEntry = {
  id: 'made-up-entry',
  reason: 'rejected',
  codes: [{ text: '5.9.99', cls: 5, subject: 9, from: 99, to: 99 }],
  patterns: [],
  fallback: false,
  title: 'A made-up refusal with a title long enough to need a second line at eighty columns',
  summary:
    'The receiving side refused the message for a made-up reason. It did so on purpose. This third sentence makes the summary longer than three lines at sixty columns, so the focused answer shows only the first sentences. A fourth sentence is never shown there.',
  causes: [
    "The first and most likely cause, which is written out in full (ndr check-mx <the recipient's domain> shows it).",
    'A second cause, for --full only.',
  ],
  owner: ['sender', 'recipient-admin'],
  solutions: {
    sender: [
      {
        title: 'Do the first thing',
        steps: [...steps(2, 'Sender'), { text: 'A step with sub-steps', substeps: ['First sub-step.', 'Second sub-step.'] }],
      },
      { title: 'Do the second thing', steps: steps(3, 'Second') },
    ],
    admin: [
      { title: 'Fix it for the recipient (for the recipient)', for: 'recipient', steps: steps(4, 'Admin') },
      { title: 'Fix the directory', for: 'recipient-admin', steps: steps(6, 'Directory') },
      { title: 'Fix the routing', steps: steps(6, 'Routing') },
    ],
  },
  checks: ['mx'],
  checkDomain: 'recipient',
  history: 'Older articles said something else.',
  see: ['another-entry'],
  sources: ['https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/a-very-long-address-that-does-not-fit-on-one-line'],
  examples: { match: ['550 5.9.99 made up'], nomatch: ['550 5.1.1'] },
  file: 'made-up.yaml',
  line: 1,
};

const finding = (recipient: string | null): Finding => ({
  recipient,
  reason: 'rejected',
  seeAlso: null,
  status: '5.9.99',
  replyCode: '550',
  remoteMta: 'mx.fabrikam.example',
  diagnostic: `550 5.9.99 Made up refusal for ${recipient ?? 'someone'}; ${'and more words '.repeat(30)}`,
  wrappedBy: null,
  match: { entry: ENTRY, tier: 'exact', matched: '5.9.99' },
  generic: {
    code: '5.9.99',
    temporary: false,
    class: { name: 'Permanent failure', meaning: 'It failed for good.' },
    subject: null,
    detail: { code: 'X.9.99', name: 'A made-up detail', reference: 'RFC 0000' },
    replyCode: { code: '550', meaning: 'Not taken.' },
  },
});

const options = (width: number, full: boolean, audience: TextOptions['audience'] = 'all'): TextOptions => ({
  style: plainStyle,
  width,
  audience,
  full,
  commandFor: (id) => `ndr explain ${id}-example`,
});

describe('renderFindingText layout', () => {
  it.each([
    ['focused, 80 columns', 79, false, 'all'],
    ['focused, 60 columns', 59, false, 'all'],
    ['focused, admin, 80 columns', 79, false, 'admin'],
    ['full, 80 columns', 79, true, 'all'],
  ] as const)('%s', (_name, width, full, audience) => {
    const text = renderFindingText(finding('tomas@fabrikam.example'), options(width, full, audience), [finding('ana@fabrikam.example')]);
    for (const line of text.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    expect(text).toMatchSnapshot();
  });

  it('the focused answer fills the placeholder command with the known domain, and does not repeat an owner label', () => {
    const text = renderFindingText(finding('tomas@fabrikam.example'), options(79, true));
    expect(text.replace(/\s+/g, ' ')).toContain('ndr check-mx fabrikam.example shows it');
    expect(text).not.toContain('<the recipient');
    expect(text).toMatch(/Fix it for the recipient \(for the recipient\)\n/);
    expect(text).toMatch(/Fix the directory \(the recipient's admin\)/);
  });

  it('the closing lines name the command, whole on one line', () => {
    expect(moreLine('ndr explain examples/bounce-5.1.10.eml --full', { style: plainStyle, width: 59, audience: 'admin' })).toBe(
      'All causes and steps, history, RFC meaning:\n  ndr explain examples/bounce-5.1.10.eml --full',
    );
  });
});

describe('groupByEntry', () => {
  it('gathers findings of one entry and code behind the first, keeps the rest apart and in order', () => {
    const other = { ...finding('x@y.example'), match: null };
    const groups = groupByEntry(
      [finding('a@b.example'), other, finding('c@b.example'), { ...finding('d@b.example'), status: '5.9.98' }],
      (f) => f,
    );
    expect(groups.map(([f, same]) => [f.recipient, same.map((s) => s.recipient)])).toEqual([
      ['a@b.example', ['c@b.example']],
      ['x@y.example', []],
      ['d@b.example', []],
    ]);
  });
});

const kb = loadKnowledgeBase();

describe('the lifetime in the headline', () => {
  // 4.4.7 arrives when the retrying is over: it must not say that the server retries.
  it.each([
    ['452 4.2.2 Mailbox full', 'temporary: the server retries'],
    ['4.4.7', 'failed: the server has stopped retrying'],
    ['#550 4.4.7 QUEUE.Expired; message expired ##', 'failed: the server has stopped retrying'],
    ['550 5.1.1 User unknown', 'permanent'],
  ])('%s: %s', (input, label) => {
    expect(lifetimeOf(explainText(kb, input).findings[0]!, plainStyle)).toBe(label);
  });
});

describe('the plain-words reason line', () => {
  const withReason = (reason: Finding['reason'], entryReason: Finding['reason']): Finding => ({
    ...finding('bob@fabrikam.example'),
    reason,
    match: { entry: { ...ENTRY, reason: entryReason }, tier: 'exact', matched: '5.9.99' },
  });
  it('filtered on a user-unknown entry says both what the words claim and what filtered means', () => {
    const line = reasonLines(withReason('filtered', 'userunknown'), plainStyle, 200).join(' ');
    expect(line).toContain('words of an unknown address');
    expect(line).toContain('(filtered)');
  });
  it('filtered on an entry of its own reason, and other reasons, keep their plain words', () => {
    expect(reasonLines(withReason('filtered', 'filtered'), plainStyle, 200).join(' ')).toContain(REASON_WORDS.filtered);
    expect(reasonLines(withReason('userunknown', 'userunknown'), plainStyle, 200).join(' ')).toContain(REASON_WORDS.userunknown);
  });
});
