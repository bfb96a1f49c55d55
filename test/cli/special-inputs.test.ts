/**
 * Inputs that are not plain files of UTF-8 text (issue 17 item 7), through the
 * real binary: a large binary file is not read past its first bytes, UTF-16
 * text (a whole file, or a MIME part) is decoded, a symbolic link that loops
 * or dangles and a file name that is not UTF-8 get a message that says so.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ndr-special-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const REPLY = '550 5.1.1 <ana@fabrikam.example>: Recipient address rejected: User unknown';

/** Text in UTF-16, little or big endian, with or without a byte-order mark. */
function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

describe('a large binary file', () => {
  it('is refused from its first bytes, not read whole (1 GB sparse file, --max-size 2G)', async () => {
    const file = join(tmp, 'sparse.bin');
    writeFileSync(file, '');
    truncateSync(file, 1024 ** 3);
    // The child's own peak RSS, written by a preloaded hook as it exits (no GNU time needed).
    const hook = join(tmp, 'maxrss.cjs');
    const report = join(tmp, 'maxrss.txt');
    writeFileSync(
      hook,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)));\n`,
    );
    const r = await runCli(['explain', '--max-size', '2G', file], { env: { NODE_OPTIONS: `--require ${hook}` }, timeoutMs: 120_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`ndr: ${file}: binary data, not an e-mail message\n`);
    // Reading the file would hold 1 GB (KiB here).
    const peakKb = Number(readFileSync(report, 'utf8'));
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(300 * 1024);
  }, 180_000);
});

describe('UTF-16 text', () => {
  it.each([
    ['little endian with a BOM', 'le', true],
    ['little endian without a BOM', 'le', false],
    ['big endian with a BOM', 'be', true],
    ['big endian without a BOM', 'be', false],
  ] as const)('a file of pasted NDR text in UTF-16 %s is explained as text', async (what, order, bom) => {
    const file = join(tmp, `pasted-${order}-${bom}.txt`);
    writeFileSync(file, utf16(`${REPLY}\r\n`, order, bom));
    const r = await runCli(['explain', '--json', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('text');
    expect(doc.findings[0]).toMatchObject({ status: '5.1.1', replyCode: '550' });
  });

  it.each([
    ['utf-16', 'be', true],
    ['utf-16', 'be', false],
    ['utf-16', 'le', true],
    [null, 'be', true],
  ] as const)('a text part labelled %s (%s, BOM %s) is decoded, not read as bytes', async (charset, order, bom) => {
    const body = utf16(
      `This is the mail system at host mx.contoso.example.\r\n\r\n<ana@fabrikam.example>: host mx.fabrikam.example said:\r\n    ${REPLY}\r\n`,
      order,
      bom,
    );
    const message = Buffer.concat([
      Buffer.from(
        'From: MAILER-DAEMON@contoso.example\r\nTo: sender@contoso.example\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMIME-Version: 1.0\r\n' +
          `Content-Type: text/plain${charset ? `; charset=${charset}` : ''}\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      ),
      Buffer.from(`${body.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`),
    ]);
    const file = join(tmp, `part-${charset}-${order}-${bom}.eml`);
    writeFileSync(file, message);
    const r = await runCli(['explain', '--json', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings[0]).toMatchObject({ recipient: 'ana@fabrikam.example', status: '5.1.1' });
  });

  it('a whole message saved as UTF-16 is read as a message', async () => {
    const file = join(tmp, 'message-utf16.eml');
    writeFileSync(file, utf16(readFileSync(join(ROOT, 'test/fixtures/eml/delay-postfix.eml'), 'utf8'), 'le', true));
    const r = await runCli(['explain', '--json', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'message', messageKind: 'delay' });
  });
});

describe('names that cannot be opened', () => {
  it.each([
    ['a symbolic link that loops', 'loop', (p: string) => symlinkSync(p, p), /: a symbolic link that loops \(ELOOP/],
    [
      'a symbolic link to nothing',
      'dangling',
      (p: string) => symlinkSync(join(tmp, 'nowhere.eml'), p),
      /: a symbolic link to .*nowhere\.eml, which does not exist$/,
    ],
  ])('%s is an input error that says so (not pasted text), exit 3', async (_what, name, make, message) => {
    const path = join(tmp, name);
    make(path);
    const r = await runCli(['explain', path]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(new RegExp(`^ndr: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source}`));
  });

  it('a file name that is not UTF-8 is said to be one, not "no such file"', async () => {
    const dir = join(tmp, 'latin1');
    mkdirSync(dir);
    // rapport-\xe9.eml: "é" in Latin-1, as an old system or archive may have named it.
    copyFileSync(
      join(ROOT, 'test/fixtures/eml/delay-postfix.eml'),
      Buffer.concat([Buffer.from(`${dir}/rapport-`), Buffer.from([0xe9]), Buffer.from('.eml')]),
    );
    // The name goes through a shell: Node would encode a string argument as UTF-8.
    const child = spawn('sh', ['-c', 'exec "$0" "$1" explain "$(printf "%s/rapport-\\351.eml" "$2")"', process.execPath, BIN, dir], {
      env: { ...process.env, NO_COLOR: '' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(3);
    expect(err).toMatch(/^ndr: .*rapport-\ufffd\.eml: the file name is not valid UTF-8 .*ndr explain - < FILE\n$/);
    expect(err).not.toMatch(/no such file/);
  });
});
