/**
 * The bounce parser on hostile bytes: generated MIME trees and real bounces
 * from the shared corpus, mutated. parseBounce returns a Bounce or throws one
 * of ndr's typed errors (NdrError subclasses); it never throws anything else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, parseBounce } from '../../src/bounce/parse.js';
import { NdrError } from '../../src/core/errors.js';
import { locateCorpus } from '../../scripts/corpus-score.js';
import { ROOT } from '../helpers/cli.js';
import { fuzzParams, fuzzTimeout } from './settings.js';

const KINDS = new Set(['ndr', 'delay', 'auto-reply', 'feedback-report', 'not-a-bounce']);

/**
 * A bound on one message, not a speed figure (that is `npm run bench`): generated
 * messages stay under about 2.5 MB, which takes milliseconds; only a hang or a
 * quadratic blow-up gets near this.
 */
const PER_MESSAGE_BOUND_MS = 10_000;

/** The property: a well-formed Bounce, or a typed error, within the bound. Anything else fails with the thrown value. */
async function parsesOrRefuses(bytes: Uint8Array): Promise<void> {
  let bounce;
  const t0 = performance.now();
  try {
    bounce = await parseBounce(bytes);
  } catch (e) {
    if (e instanceof NdrError) {
      expect(performance.now() - t0, `refusing ${bytes.length} bytes`).toBeLessThan(PER_MESSAGE_BOUND_MS);
      return;
    }
    throw new Error(`parseBounce threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`, { cause: e });
  }
  expect(performance.now() - t0, `parsing ${bytes.length} bytes`).toBeLessThan(PER_MESSAGE_BOUND_MS);
  expect(KINDS.has(bounce.messageKind), bounce.messageKind).toBe(true);
  expect(Array.isArray(bounce.recipients)).toBe(true);
  expect(bounce.recipients.length).toBeLessThanOrEqual(LIMITS.maxRecipients);
  for (const r of bounce.recipients) {
    if (r.status !== null) expect(r.status).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
    if (r.diagnostic !== null) expect(typeof r.diagnostic).toBe('string');
  }
  expect(Array.isArray(bounce.hints)).toBe(true);
}

// ---- generated MIME trees -------------------------------------------------

type Node =
  | { kind: 'leaf'; type: string; encoding: string; headers: [string, string][]; body: string }
  | { kind: 'multipart'; subtype: string; boundary: string; headers: [string, string][]; children: Node[]; closed: boolean }
  | { kind: 'message'; headers: [string, string][]; inner: Node };

const LEAF_TYPES = [
  'text/plain',
  'text/html',
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/feedback-report',
  'application/octet-stream',
  'text/plain; charset=utf-16',
  'text/plain; charset=iso-2022-jp',
  'text/plain; charset=bogus',
];
const ENCODINGS = ['7bit', '8bit', 'base64', 'quoted-printable', 'binary', 'x-uuencode', 'bogus'];
const HEADER_NAMES = [
  'Subject',
  'From',
  'To',
  'Cc',
  'Date',
  'Message-ID',
  'Return-Path',
  'Received',
  'X-Failed-Recipients',
  'Auto-Submitted',
  'Reporting-MTA',
  'Final-Recipient',
  'Original-Recipient',
  'Action',
  'Status',
  'Diagnostic-Code',
  'Remote-MTA',
  'Content-Disposition',
  'X-Junk',
];

const hostileText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '550 5.1.1 <user@example.com>: Recipient address rejected',
    'rfc822; user@example.com',
    'smtp; 550 5.7.1 \u001b]52;c;ZWNobyBwd25lZA==\u0007 denied',
    'failed',
    '5.0.0',
    '=?utf-8?B?G1syShtdMDtwd25lZAc=?=',
    '=?utf-8?Q?=1B[31m=E2=80=AE?=',
    '=?bogus?X?zzz?=',
    'Mail Delivery Subsystem <MAILER-DAEMON@example.org>',
    '"\u001b[2J\u202e" <a@b.c>',
    'Undeliverable: test',
    'Delivery Status Notification (Failure)',
  ),
);
const headerList = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[A-Za-z-]{1,20}$/)), hostileText), {
  maxLength: 6,
});
const boundary = fc.oneof(fc.stringMatching(/^[A-Za-z0-9'()+_,./:=? -]{1,40}$/), fc.constantFrom('b', '=_', '--', 'a b'));

const dsnBody = fc
  .tuple(
    hostileText,
    fc.constantFrom('failed', 'delayed', 'delivered', ''),
    fc.constantFrom('5.1.1', '4.4.7', '5.7.350', '9.9.9', ''),
    hostileText,
  )
  .map(
    ([rcpt, action, status, diag]) =>
      `Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ${rcpt}\nAction: ${action}\nStatus: ${status}\nDiagnostic-Code: smtp; ${diag}\n`,
  );

const mimeTree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('leaf' as const),
      type: fc.constantFrom(...LEAF_TYPES),
      encoding: fc.constantFrom(...ENCODINGS),
      headers: headerList,
      body: fc.oneof(
        hostileText,
        dsnBody,
        fc.array(hostileText, { maxLength: 10 }).map((l) => l.join('\n')),
      ),
    }),
    fc.record({
      kind: fc.constant('multipart' as const),
      subtype: fc.constantFrom(
        'mixed',
        'report; report-type=delivery-status',
        'alternative',
        'report; report-type=feedback-report',
        'related',
      ),
      boundary,
      headers: headerList,
      children: fc.array(tie('node'), { maxLength: 4 }),
      closed: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('message' as const), headers: headerList, inner: tie('node') }),
  ),
})).node;

function encode(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\n');
  if (encoding === 'quoted-printable')
    return [...Buffer.from(body, 'utf8')]
      .map((b) =>
        b === 0x0a ? '\n' : b < 33 || b > 126 || b === 61 ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b),
      )
      .join('');
  return body;
}

function headerLines(headers: [string, string][]): string {
  return headers.map(([k, v]) => `${k}: ${v}\n`).join('');
}

function serialize(node: Node): string {
  switch (node.kind) {
    case 'leaf':
      return `${headerLines(node.headers)}Content-Type: ${node.type}\nContent-Transfer-Encoding: ${node.encoding}\n\n${encode(node.body, node.encoding)}\n`;
    case 'multipart': {
      const parts = node.children.map((c) => `--${node.boundary}\n${serialize(c)}`).join('\n');
      return `${headerLines(node.headers)}Content-Type: multipart/${node.subtype}; boundary="${node.boundary}"\n\n${parts}\n${node.closed ? `--${node.boundary}--\n` : ''}`;
    }
    case 'message':
      return `${headerLines(node.headers)}Content-Type: message/rfc822\n\n${serialize(node.inner)}`;
  }
}

/** A whole message: top-level headers that make it look like mail, then the tree. */
const generatedMessage = fc.tuple(mimeTree, fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([tree, eol, mboxLine]) => {
  const text = `${mboxLine ? 'From MAILER-DAEMON Sat Jan  1 00:00:00 2000\n' : ''}From: Mail Delivery System <MAILER-DAEMON@example.org>\nTo: user@example.com\nMIME-Version: 1.0\n${serialize(tree)}`;
  return Buffer.from(eol === '\n' ? text : text.replace(/\n/g, '\r\n'), 'utf8');
});

// ---- corpus messages, mutated ---------------------------------------------

type Mutation = (b: Buffer) => Buffer;

const at = (b: Buffer, f: number) => Math.floor(f * b.length);
const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Truncated anywhere.
  frac.map(
    (f): Mutation =>
      (b) =>
        b.subarray(0, at(b, f)),
  ),
  // Random bytes (NUL, ESC, C1, CR, high bytes) inserted.
  fc.tuple(frac, fc.uint8Array({ maxLength: 32 })).map(
    ([f, ins]): Mutation =>
      (b) =>
        Buffer.concat([b.subarray(0, at(b, f)), ins, b.subarray(at(b, f))]),
  ),
  fc.tuple(frac, fc.constantFrom(0x00, 0x1b, 0x9b, 0x0d, 0x08, 0xff)).map(([f, v]): Mutation => (b) => {
    const c = Buffer.from(b);
    if (c.length) c[at(c, f)] = v;
    return c;
  }),
  // A range deleted.
  fc.tuple(frac, fc.integer({ min: 1, max: 4096 })).map(
    ([f, n]): Mutation =>
      (b) =>
        Buffer.concat([b.subarray(0, at(b, f)), b.subarray(at(b, f) + n)]),
  ),
  // Boundary lines duplicated (and closing boundaries dropped).
  fc.integer({ min: 2, max: 50 }).map(
    (n): Mutation =>
      (b) =>
        Buffer.from(
          b.toString('latin1').replace(/^--.+$/gm, (l) => `${l}\n`.repeat(n)),
          'latin1',
        ),
  ),
  fc.constant<Mutation>((b) => Buffer.from(b.toString('latin1').replace(/^(--.+)--\s*$/gm, '$1'), 'latin1')),
  // Base64 and quoted-printable bodies broken.
  fc.constant<Mutation>((b) =>
    Buffer.from(
      b.toString('latin1').replace(/^[A-Za-z0-9+/]{20,}={0,2}$/gm, (l) => l.slice(0, l.length - 3) + '!*='),
      'latin1',
    ),
  ),
  fc.constant<Mutation>((b) => Buffer.from(b.toString('latin1').replace(/=([0-9A-F]{2})/g, '=$1=\n=Z'), 'latin1')),
  fc.constant<Mutation>((b) =>
    Buffer.from(b.toString('latin1').replace(/Content-Transfer-Encoding:\s*\S+/gi, 'Content-Transfer-Encoding: base64'), 'latin1'),
  ),
  // Deep nesting: the message wrapped into many multipart or message/rfc822 levels.
  fc.tuple(fc.integer({ min: 1, max: 80 }), fc.boolean()).map(([n, rfc822]): Mutation => (b) => {
    let out = b;
    for (let i = 0; i < n; i++) {
      out = rfc822
        ? Buffer.concat([Buffer.from('From: a@b.c\nContent-Type: message/rfc822\n\n'), out])
        : Buffer.concat([
            Buffer.from(`From: a@b.c\nContent-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n`),
            out,
            Buffer.from(`\n--n${i}--\n`),
          ]);
    }
    return out;
  }),
  // A huge header (up to past the header-block limit) or many headers.
  fc.integer({ min: 1, max: 1_200_000 }).map(
    (n): Mutation =>
      (b) =>
        Buffer.concat([Buffer.from(`X-Huge: ${'a'.repeat(n)}\n`), b]),
  ),
  fc.integer({ min: 1, max: 20_000 }).map(
    (n): Mutation =>
      (b) =>
        Buffer.concat([Buffer.from('X-Many: 1\n'.repeat(n)), b]),
  ),
  fc.integer({ min: 1, max: 5_000 }).map(
    (n): Mutation =>
      (b) =>
        Buffer.concat([Buffer.from(`Subject: x\n${' folded\n'.repeat(n)}`), b]),
  ),
);

describe('parseBounce on hostile bytes (property)', () => {
  let corpus: Buffer[] = [];
  beforeAll(() => {
    // Fails with a clear message when ../shared/corpus is missing.
    const dir = join(locateCorpus(ROOT), 'maildir', 'bsd');
    corpus = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(join(dir, f)));
    if (corpus.length < 10) throw new Error(`expected the bounce corpus in ${dir}, found ${corpus.length} files`);
  });

  it(
    'returns a Bounce or a typed error for generated MIME trees',
    async () => {
      await fc.assert(fc.asyncProperty(generatedMessage, parsesOrRefuses), fuzzParams(600));
    },
    fuzzTimeout(600, 40),
  );

  const mutatedCorpus = () =>
    fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, mutations) => {
      const original = corpus[i % corpus.length]!;
      await parsesOrRefuses(mutations.reduce((b, m) => m(b), original));
    });

  it(
    'returns a Bounce or a typed error for corpus messages mutated byte-wise',
    async () => {
      await fc.assert(mutatedCorpus(), fuzzParams(600));
    },
    fuzzTimeout(600, 80),
  );

  // Regression, found by `npm run fuzz` (100,000 runs): many headers, 80 multipart levels, then cut
  // inside a part's header block; mailparser gave an attachment without contentType and
  // parseMime threw "TypeError: a.contentType.toLowerCase is not a function".
  it('replays the case that found the untyped contentType crash', async () => {
    await fc.assert(mutatedCorpus(), { seed: 20_261_122, path: '79650', endOnFailure: true });
  });

  it(
    'returns a Bounce or a typed error for arbitrary bytes after a header line',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (tail) => {
          await parsesOrRefuses(Buffer.concat([Buffer.from('From: a@b.c\nContent-Type: multipart/report; boundary=x\n\n--x\n'), tail]));
          await parsesOrRefuses(tail);
        }),
        fuzzParams(300),
      );
    },
    fuzzTimeout(300, 20),
  );
});
