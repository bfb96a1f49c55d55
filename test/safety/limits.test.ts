/**
 * Input size and complexity limits (cli-conventions.md §B3; src/bounce/limits.ts),
 * each refused with a clear error and the input-error exit code, through the
 * real binary. The table in README/the report lists the same limits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/bounce/limits.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { parseMime } from '../../src/bounce/mime.js';
import { InputTooLargeError } from '../../src/core/errors.js';
import { runRaw } from './run-raw.js';

const HEAD =
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: sender@example.net\nSubject: Undelivered Mail Returned to Sender\n';

function nestedMultipart(levels: number): string {
  let body = 'Content-Type: text/plain\n\n550 5.1.1 user unknown\n';
  for (let i = 0; i < levels; i++) body = `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n${body}\n--n${i}--\n`;
  return HEAD + body;
}

function nestedRfc822(levels: number): string {
  let body = 'From: a@b.example\nSubject: inner\n\n550 5.1.1 user unknown\n';
  for (let i = 0; i < levels; i++) body = `From: a@b.example\nContent-Type: message/rfc822\n\n${body}`;
  return HEAD + body;
}

let tmp: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

async function refused(path: string, message: RegExp): Promise<void> {
  const r = await runRaw(['explain', path]);
  expect(r.stderr.toString(), path).toMatch(message);
  expect(r.code).toBe(3);
  expect(r.stdout.length).toBe(0);
  const j = await runRaw(['explain', '--json', path]);
  expect(j.code).toBe(3);
}

describe('limits, through bin/ndr.js explain', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ndr-limits-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--max-size: a file and standard input larger than the cap', async () => {
    const msg = `${HEAD}\n${'x'.repeat(4000)}\n`;
    const path = file('big.eml', msg);
    const r = await runRaw(['explain', '--max-size', '2k', path]);
    expect(r.stderr.toString()).toBe(`ndr: ${path}: larger than 2048 bytes (see --max-size)\n`);
    expect(r.code).toBe(3);
    const s = await runRaw(['explain', '--max-size', '2k', '-'], { input: msg });
    expect(s.stderr.toString()).toBe('ndr: standard input: larger than 2048 bytes (see --max-size)\n');
    expect(s.code).toBe(3);
    expect((await runRaw(['explain', '--max-size', '8k', path])).code).not.toBe(3);
  });

  it(`MIME depth: more than ${LIMITS.maxMimeDepth} nested multiparts or message/rfc822 levels`, async () => {
    await refused(file('deep.eml', nestedMultipart(LIMITS.maxMimeDepth + 1)), /MIME parts nested deeper than 32 levels/);
    await refused(file('deep822.eml', nestedRfc822(LIMITS.maxMimeDepth + 8)), /MIME parts nested deeper than 32 levels/);
    // At the limit it is read.
    expect((await runRaw(['explain', file('ok.eml', nestedMultipart(LIMITS.maxMimeDepth))])).code).toBe(0);
  });

  it(`header block size: more than ${LIMITS.maxHeaderBytes} bytes`, async () => {
    await refused(
      file('huge-header.eml', `${HEAD}X-Huge: ${'a'.repeat(LIMITS.maxHeaderBytes + 10)}\n\nhello\n`),
      /a header block is larger than 1048576 bytes/,
    );
    // Inside a part too.
    await refused(
      file(
        'huge-part-header.eml',
        `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n--b\nX-Huge: ${'a'.repeat(LIMITS.maxHeaderBytes + 10)}\n\nx\n--b--\n`,
      ),
      /a header block is larger than 1048576 bytes/,
    );
  });

  it(`header count: more than ${LIMITS.maxHeaderFields} header fields in one block`, async () => {
    await refused(
      file('many-headers.eml', `${HEAD}${'X-A: 1\n'.repeat(LIMITS.maxHeaderFields)}\nhello\n`),
      /a header block has more than 10000 header fields/,
    );
    await refused(
      file('many-headers-2.eml', `${HEAD}${'X-A: 1\n'.repeat(140_000)}\nhello\n`),
      /a header block has more than 10000 header fields/,
    );
  });

  it('header count and cost are refused in the core with the typed InputTooLargeError (regression: mailsplit said "cannot parse the message (Max header size for a MIME node exceeded)")', async () => {
    const many = Buffer.from(`${HEAD}${'X-A: 1\n'.repeat(140_000)}\nhello\n`);
    await expect(parseBounce(many)).rejects.toBeInstanceOf(InputTooLargeError);
    // Many short lines under the byte limit: our reader takes them; mailparser (used for HTML
    // and rare charsets) counts each line as at least 64 bytes and refuses, with the same typed error.
    const costly = Buffer.from(`${HEAD}${'X-A: 1\n'.repeat(9000)}X-B: ${'a'.repeat(900_000)}\n\nhello\n`);
    await expect(parseBounce(costly)).resolves.toMatchObject({ messageKind: expect.any(String) });
    await expect(parseMime(costly, { engine: 'mailparser' })).rejects.toThrow(
      /a header block is larger than 1048576 bytes \(counting each line as at least 64\)/,
    );
    await expect(parseMime(costly, { engine: 'mailparser' })).rejects.toBeInstanceOf(InputTooLargeError);
    // Exactly at the limit is fine.
    const at = Buffer.from(`From: a@b.example\nSubject: x\n${'X-A: 1\n'.repeat(LIMITS.maxHeaderFields - 2)}\nhello\n`);
    await expect(parseBounce(at)).resolves.toBeTruthy();
  });

  it(`MIME parts: more than ${LIMITS.maxMimeParts}`, async () => {
    await refused(
      file(
        'parts.eml',
        `${HEAD}Content-Type: multipart/mixed; boundary=b\n\n${'--b\nContent-Type: text/plain\n\nx\n'.repeat(LIMITS.maxMimeParts + 1)}--b--\n`,
      ),
      /more than 500 MIME parts/,
    );
  });

  it('text scanned per part: a 20 MB single-part body with no code finishes quickly and reports cleanly', async () => {
    const line = `${'lorem ipsum dolor sit amet, nothing to see here '.repeat(20)}\n`;
    const path = file('20mb.eml', `${HEAD}Content-Type: text/plain\n\n${line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))}`);
    for (const json of [false, true]) {
      const r = await runRaw(['explain', ...(json ? ['--json'] : []), path], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr.toString()).toBe(`ndr: ${path}: a delivery report, but it names no failed recipient and no code\n`);
      expect(r.ms).toBeLessThan(10_000);
      // Not the whole body echoed back.
      expect(r.stdout.length).toBeLessThan(64 * 1024);
    }
  });

  it('text scanned per part: a 20 MB base64 body of near-codes finishes quickly', async () => {
    const body = Buffer.from('delivery failed 5.5.5.5.5 550550 #5. '.repeat(420_000)).toString('base64').replace(/.{76}/g, '$&\n');
    const path = file('20mb-b64.eml', `${HEAD}Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n${body}`);
    const r = await runRaw(['explain', path], { timeoutMs: 30_000 });
    expect([0, 1]).toContain(r.code);
    expect(r.ms).toBeLessThan(10_000);
  });
});
