/**
 * The hand-written messages in test/fixtures/eml/ and what ndr must read out
 * of each: one line per fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/bounce/mbox.js';
import { parseBounce } from '../../src/bounce/parse.js';
import type { Bounce, FixOwner, HintId, MessageKind } from '../../src/bounce/types.js';

const DIR = fileURLToPath(new URL('../fixtures/eml/', import.meta.url));
const read = (name: string) => readFileSync(DIR + name);

interface Expectation {
  kind: MessageKind;
  layout?: Bounce['layout'];
  language?: string | null;
  generatingServer?: string | null;
  /** recipient, status, reply code, remote MTA (undefined: not checked) */
  recipients: [string | null, string | null, (string | null)?, (string | null)?][];
  hints?: HintId[];
  owner?: FixOwner | null;
  original?: { from: string; to: string[]; subject?: string };
}

const IMCEA =
  'IMCEAEX-_o=Contoso_ou=Exchange+20Administrative+20Group+20+28FYDIBOHF23SPDLT+29_cn=Recipients_cn=7d1e4c0b9a2f4e3b8c5d6e7f8091a2b3-Tomas+20Novak@contoso.example';

const EXPECTED: Record<string, Expectation> = {
  // Exchange Online, newer layout, in five languages.
  'exchange-new-en.eml': {
    kind: 'ndr',
    layout: 'exchange-new',
    language: 'en',
    generatingServer: 'AM6PR08MB4118.eurprd08.prod.outlook.com',
    recipients: [['tomas@fabrikam.example', '5.1.10', '550', null]],
    hints: [],
    owner: 'recipient',
    original: { from: 'anna.berg@contoso.example', to: ['tomas@fabrikam.example'], subject: 'Quarterly figures' },
  },
  'exchange-new-nb.eml': {
    kind: 'ndr',
    layout: 'exchange-new',
    language: 'nb',
    generatingServer: 'GV0P278MB0163.CHEP278.PROD.OUTLOOK.COM',
    recipients: [['ingrid.dahl@fabrikam.example', '5.4.1', '550', 'AM4PEPF00027A6C.eurprd04.prod.outlook.com']],
    hints: [],
    owner: 'recipient',
    original: { from: 'ola.nordmann@contoso.example', to: ['ingrid.dahl@fabrikam.example'], subject: 'Møte på torsdag' },
  },
  'exchange-new-da.eml': {
    kind: 'ndr',
    layout: 'exchange-new',
    language: 'da',
    generatingServer: 'VI1PR03MB6206.eurprd03.prod.outlook.com',
    recipients: [['lars.holm@fabrikam.example', '5.7.350', '550', 'mx1.fabrikam.example']],
    hints: ['exchange-wrapped-reply'],
    owner: 'sender',
    original: { from: 'mette.jensen@contoso.example', to: ['lars.holm@fabrikam.example'], subject: 'Tilbud på rammeaftale' },
  },
  'exchange-new-sv.eml': {
    kind: 'ndr',
    layout: 'exchange-new',
    language: 'sv',
    generatingServer: 'SJ2PEPF00001A8E.namprd03.prod.outlook.com',
    recipients: [['erik.lind@fabrikam.example', '5.7.708', '550', null]],
    hints: [],
    owner: 'sender',
  },
  'exchange-new-de.eml': {
    kind: 'ndr',
    layout: 'exchange-new',
    language: 'de',
    generatingServer: 'FR2P281MB0423.DEUP281.PROD.OUTLOOK.COM',
    recipients: [['jonas.weber@fabrikam.example', '5.7.606', '550', null]],
    hints: [],
    owner: 'sender',
    original: { from: 'julia.schneider@contoso.example', to: ['jonas.weber@fabrikam.example'], subject: 'Angebot für Q1' },
  },
  // Exchange, classic layout, in five languages.
  'exchange-legacy-en.eml': {
    kind: 'ndr',
    layout: 'exchange-legacy',
    language: 'en',
    generatingServer: 'EX01.contoso.example',
    recipients: [[IMCEA, '5.1.1', '550', null]],
    hints: ['imceaex-address'],
  },
  'exchange-legacy-nb.eml': {
    kind: 'ndr',
    layout: 'exchange-legacy',
    language: 'nb',
    generatingServer: 'EX02.contoso.example',
    recipients: [['kari.hansen@contoso.example', '5.2.2', '554', null]],
    hints: [],
  },
  'exchange-legacy-da.eml': {
    kind: 'ndr',
    layout: 'exchange-legacy',
    language: 'da',
    generatingServer: 'EX03.contoso.example',
    recipients: [['salg@contoso.example', '5.7.1', '550', null]],
    hints: [],
  },
  'exchange-legacy-sv.eml': {
    kind: 'ndr',
    layout: 'exchange-legacy',
    language: 'sv',
    generatingServer: 'EX04.contoso.example',
    recipients: [['erik.lind@fabrikam.example', '5.1.1', '550', 'mx.fabrikam.example']],
    hints: ['forwarded-recipient'],
    original: { from: 'lena.ek@northwind.example', to: ['kontakt@contoso.example'] },
  },
  'exchange-legacy-de.eml': {
    kind: 'ndr',
    layout: 'exchange-legacy',
    language: 'de',
    generatingServer: 'EX05.contoso.example',
    recipients: [['jonas.weber@fabrikam.example', '5.3.4', '552', 'mail.fabrikam.example']],
    hints: [],
  },
  // Other kinds of message.
  'delay-postfix.eml': {
    kind: 'delay',
    layout: null,
    generatingServer: 'mx1.contoso.example',
    recipients: [['orders@fabrikam.example', '4.4.1', null, 'mx.fabrikam.example']],
    hints: [],
  },
  'auto-reply.eml': { kind: 'auto-reply', recipients: [['tomas@fabrikam.example', null, null, null]], hints: [] },
  'feedback-report.eml': {
    kind: 'feedback-report',
    recipients: [['reader417@mailbox-provider.example', null, null, null]],
    hints: [],
    original: { from: 'newsletter@contoso.example', to: ['reader417@mailbox-provider.example'], subject: 'Spring offers' },
  },
  'normal-email.eml': { kind: 'not-a-bounce', recipients: [], hints: [] },
  'bounce-of-bounce.eml': {
    kind: 'ndr',
    generatingServer: 'mx1.contoso.example',
    recipients: [['ghost@contoso.example', '5.1.1', '550', 'mbox.contoso.example']],
    hints: ['bounce-of-bounce'],
  },
  'backscatter.eml': { kind: 'ndr', recipients: [['j.doe@fabrikam.example', '5.1.1', null, null]], hints: ['backscatter'] },
  'cr-only.eml': {
    kind: 'ndr',
    generatingServer: 'smtp.northwind.example',
    recipients: [['h.olsen@northwind.example', '5.2.1', '550', 'mbox.northwind.example']],
    hints: [],
    original: { from: 'julia.schneider@contoso.example', to: ['h.olsen@northwind.example'], subject: 'Contract draft' },
  },
  'terminal-escapes.eml': {
    kind: 'ndr',
    recipients: [['billing@fabrikam.example', '5.7.1', '550', 'mbox.fabrikam.example']],
    hints: ['control-characters'],
  },
};

function check(b: Bounce, e: Expectation, raw: string): void {
  expect(b.messageKind).toBe(e.kind);
  if (e.layout !== undefined) expect(b.layout).toBe(e.layout);
  if (e.language !== undefined) expect(b.language).toBe(e.language);
  if (e.generatingServer !== undefined) expect(b.generatingServer).toBe(e.generatingServer);
  expect(b.recipients.map((r) => r.recipient)).toEqual(e.recipients.map((r) => r[0]));
  e.recipients.forEach(([, status, reply, remote], i) => {
    const r = b.recipients[i]!;
    expect(r.status).toBe(status);
    if (reply !== undefined) expect(r.replyCode).toBe(reply);
    if (remote !== undefined) expect(r.remoteMta).toBe(remote);
    // Never invent a code: every code ndr reports stands in the message or is flagged.
    if (r.status && !r.statusInferred) expect(raw).toContain(r.status);
  });
  if (e.hints) expect(b.hints.map((h) => h.id).sort()).toEqual([...e.hints].sort());
  if (e.owner !== undefined) expect(b.exchange?.fixOwner ?? null).toBe(e.owner);
  if (e.original) expect(b.original).toMatchObject(e.original);
}

describe('hand-written fixtures', () => {
  it.each(Object.entries(EXPECTED))('%s', async (name, e) => {
    check(await parseBounce(read(name)), e, read(name).toString('latin1'));
  });

  it('reads LF, CRLF and CR-only copies of a message alike', async () => {
    const lf = read('exchange-new-nb.eml');
    const text = lf.toString('latin1');
    const variants = [text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r')].map((t) => Buffer.from(t, 'latin1'));
    for (const bytes of variants) check(await parseBounce(bytes), EXPECTED['exchange-new-nb.eml']!, text);
  });

  it('reads every message of an mbox, undoing >From quoting', async () => {
    const messages = splitMbox(read('bounces.mbox'));
    expect(messages).toHaveLength(3);
    expect(messages[0]!.toString()).toMatch(/\nFrom our side everything is ready\./);
    const bounces = await Promise.all(messages.map((m) => parseBounce(m)));
    expect(bounces.map((b) => b.messageKind)).toEqual(['ndr', 'ndr', 'not-a-bounce']);
    expect(bounces[0]!.recipients.map((r) => [r.recipient, r.status, r.replyCode])).toEqual([
      ['lars.holm@fabrikam.example', '5.2.2', '552'],
    ]);
    expect(bounces[1]!.recipients.map((r) => [r.recipient, r.status])).toEqual([['sales@northwind.example', '5.1.1']]);
  });

  it('gives the Exchange-only facts: cause, hops, the decoded X500 proxy', async () => {
    const en = await parseBounce(read('exchange-new-en.eml'));
    expect(en.exchange).toMatchObject({ cause: "tomas wasn't found at fabrikam.example.", statusCode: '550 5.1.10' });
    expect(en.exchange!.hops.map((h) => [h.hop, h.with])).toEqual([
      [1, 'mapi'],
      [2, expect.stringMatching(/^Microsoft SMTP Server/)],
    ]);
    const legacy = await parseBounce(read('exchange-legacy-en.eml'));
    expect(legacy.hints[0]!.detail).toBe(
      'X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=7d1e4c0b9a2f4e3b8c5d6e7f8091a2b3-Tomas Novak',
    );
    expect(legacy.exchange!.cause).toMatch(/^The email address you entered couldn't be found/);
  });

  it('reads the returned message: path with delays and authentication verdicts', async () => {
    const b = await parseBounce(read('exchange-new-de.eml'));
    expect(b.original!.hops.map((h) => h.delaySeconds)).toEqual([null, 2]);
    expect(b.original!.authentication).toMatchObject({ spf: 'pass', dkim: 'none', dmarc: 'pass' });
    const back = await parseBounce(read('backscatter.eml'));
    expect(back.original!.authentication).toMatchObject({ spf: 'fail', dmarc: 'fail' });
  });
});
