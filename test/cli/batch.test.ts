/**
 * Batches that go on and say what they cut (issue 17 items 3 and 5), through
 * the real binary: a folder that cannot be read is one error record among the
 * rest, `--check` in a batch checks each domain once and adds its reports to
 * every line, and a folder or a report past ndr's limits says so.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, runCli } from '../helpers/cli.js';
import { startDnsServer, type DnsTestServer } from '../helpers/dns-server.js';

const FIX = join(ROOT, 'test/fixtures/eml');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ndr-batch-'));
});
// rm, not fs.rmSync: the deep folder below is longer than PATH_MAX, which rm walks relative to each folder.
afterAll(() => execFileSync('rm', ['-rf', tmp]));

describe('a batch goes on past a folder it cannot read', () => {
  let folder: string;
  beforeAll(() => {
    // A folder whose path is longer than PATH_MAX (4096): its entries cannot be looked at, for
    // root too (mode 000 would stop only other users). Built one level at a time, relative to the last.
    folder = join(tmp, 'mail');
    mkdirSync(folder);
    copyFileSync(join(FIX, 'exchange-new-en.eml'), join(folder, 'a.eml'));
    copyFileSync(join(FIX, 'delay-postfix.eml'), join(folder, 'z.eml'));
    // `cd -P` one level at a time: the shell never needs the whole path.
    const script = 'mkdir m && cd m && i=0; while [ $i -lt 21 ]; do mkdir "$1" && cd -P "$1" || exit 1; i=$((i+1)); done; cp "$2" lost.eml';
    execFileSync('sh', ['-c', script, 'sh', 'd'.repeat(200), join(FIX, 'exchange-new-da.eml')], { cwd: folder });
  });

  it('JSON: the messages before and after, one error record, one ndr: line, exit 3', async () => {
    const r = await runCli(['explain', '--json', folder]);
    expect(r.code).toBe(3);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ file: join(folder, 'a.eml'), kind: 'message' });
    expect(lines[1]).toMatchObject({ error: { code: 'input' } });
    expect((lines[1]!.error as { message: string }).message).toMatch(/: cannot read \(ENAMETOOLONG\)$/);
    expect(lines[2]).toMatchObject({ file: join(folder, 'z.eml'), kind: 'message' });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ndr: .*cannot read \(ENAMETOOLONG\)\n$/);
  });

  it('text: both messages explained, the error counted in the summary', async () => {
    const r = await runCli(['explain', folder]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/==> .*a\.eml <==/);
    expect(r.stdout).toMatch(/==> .*z\.eml <==/);
    expect(r.stdout).toMatch(/Summary: 2 messages .*, 1 input error/);
  });
});

describe('explain --check in a batch', () => {
  let dns: DnsTestServer;
  const files: string[] = [];
  beforeAll(async () => {
    dns = await startDnsServer({
      records: [
        {
          name: 'fabrikam.example',
          type: 'MX',
          ttl: 300,
          data: { preference: 0, exchange: 'fabrikam-example.mail.protection.outlook.com' },
        },
        { name: 'fabrikam.example', type: 'TXT', ttl: 300, data: 'v=spf1 include:spf.protection.outlook.com -all' },
      ],
    });
    for (const name of ['one.txt', 'two.txt', 'three.txt']) {
      const file = join(tmp, name);
      writeFileSync(file, `550 5.4.1 Relay Access Denied for ${name.slice(0, -4)}@fabrikam.example\n`);
      files.push(file);
    }
  });
  afterAll(async () => dns?.close());

  const args = () => ['--check', '--nameserver', dns.nameserver, '--timeout', '1'];

  it('checks each domain once per run and puts checkCommands and checkReports on every JSON line', async () => {
    dns.reset();
    const one = await runCli(['explain', '--json', ...args(), files[0]!]);
    expect(one.code).toBe(0);
    const perDomain = dns.queries.length;
    expect(perDomain).toBeGreaterThan(0);

    dns.reset();
    const r = await runCli(['explain', '--json', ...args(), ...files]);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.checkCommands).toEqual(['ndr check-mx fabrikam.example']);
      expect(line.checkReports).toHaveLength(1);
      expect((line.checkReports as { domain: string }[])[0]!.domain).toBe('fabrikam.example');
    }
    // Three messages about one domain: asked as often as for one message.
    expect(dns.queries.length).toBe(perDomain);
  });

  it('text: a "Check the DNS" section for each message, the report once', async () => {
    const r = await runCli(['explain', ...args(), ...files]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/Check the DNS\n {2}ndr check-mx fabrikam\.example\n/g)).toHaveLength(3);
    expect(r.stdout.match(/Mail DNS of fabrikam\.example/g)).toHaveLength(1);
  });
});

describe('no silent caps', () => {
  it('a DSN naming 100,000 recipients says that 99,500 were left out (JSON and text)', async () => {
    const groups: string[] = [];
    for (let i = 0; i < 100_000; i++)
      groups.push(
        `Final-Recipient: rfc822; u${i}@c.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n`,
      );
    const file = join(tmp, 'many-recipients.eml');
    writeFileSync(
      file,
      'From: MAILER-DAEMON@a.example\nTo: s@b.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n' +
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\nDelivery failed.\n\n' +
        `--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.a.example\n\n${groups.join('\n')}\n--b--\n`,
    );
    const json = await runCli(['explain', '--json', file], { timeoutMs: 60_000 });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.findings).toHaveLength(500);
    expect(doc.truncated).toEqual([{ what: 'recipients', limit: 500, found: 100_000, leftOut: 99_500 }]);
    const text = await runCli(['explain', '--audience', 'admin', file], { timeoutMs: 60_000 });
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(
      /Not all explained: the report names 100,000 recipients; ndr explains the first 500 \(99,500 left out\)\./,
    );
  }, 120_000);

  it('a diagnostic longer than 2,000 characters says how much was cut (JSON and text)', async () => {
    const file = join(tmp, 'long-diagnostic.eml');
    writeFileSync(
      file,
      'From: MAILER-DAEMON@a.example\nTo: s@b.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n' +
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\nDelivery failed.\n\n' +
        `--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.a.example\n\nFinal-Recipient: rfc822; u@c.example\nAction: failed\nStatus: 5.1.1\n` +
        `Diagnostic-Code: smtp; 550 5.1.1 user unknown ${'and more words '.repeat(200)}\n\n--b--\n`,
    );
    const doc = JSON.parse((await runCli(['explain', '--json', file])).stdout);
    expect(doc.findings[0].diagnostic).toMatch(/\.\.\. \(1,0\d\d more characters cut\)$/);
    expect((await runCli(['explain', '--full', file])).stdout.replace(/\s+/g, ' ')).toMatch(/more characters cut\)/);
  });

  // The other places recipients come from: a bounce's text (no DSN), Exchange's report, an SES notification.
  const many = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
  it.each([
    [
      'a text bounce',
      'From: MAILER-DAEMON@a.example\nTo: s@b.example\nSubject: Undelivered Mail Returned to Sender\n\n' +
        "This is the mail system at host mx.a.example.\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n" +
        many(
          600,
          (i) =>
            `<u${i}@c.example>: host mx.c.example[192.0.2.1] said: 550 5.1.1 <u${i}@c.example>: Recipient address rejected: User unknown`,
        ) +
        '\n',
    ],
    [
      "Exchange's report",
      'From: postmaster@a.example\nTo: s@b.example\nSubject: Undeliverable: hello\n\n' +
        'Delivery has failed to these recipients or groups:\n\n' +
        many(600, (i) => `u${i}@c.example\nThe e-mail address you entered couldn't be found.\n`) +
        '\n',
    ],
    [
      'an SES notification',
      'From: no-reply@a.example\nTo: s@b.example\nSubject: Amazon SES bounce\n\n' +
        JSON.stringify({
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bouncedRecipients: Array.from({ length: 600 }, (_, i) => ({
              emailAddress: `u${i}@c.example`,
              status: '5.1.1',
              action: 'failed',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            })),
          },
        }) +
        '\n',
    ],
  ])(
    '%s naming 600 recipients says that 100 were left out',
    async (_name, message) => {
      const file = join(tmp, `many-${_name.replace(/\W+/g, '-')}.eml`);
      writeFileSync(file, message);
      const doc = JSON.parse((await runCli(['explain', '--json', file], { timeoutMs: 60_000 })).stdout);
      expect(doc.findings).toHaveLength(500);
      expect(doc.truncated).toEqual([{ what: 'recipients', limit: 500, found: 600, leftOut: 100 }]);
    },
    120_000,
  );

  it('a folder of 100,005 files says that 5 were left out (JSON line, text summary, stderr)', async () => {
    const folder = join(tmp, 'many');
    mkdirSync(folder);
    for (let i = 0; i < 100_004; i++) writeFileSync(join(folder, `f${String(i).padStart(6, '0')}`), '');
    // The last in name order: past the cap, so not explained.
    copyFileSync(join(FIX, 'exchange-new-en.eml'), join(folder, 'zzz.eml'));
    const r = await runCli(['explain', '--json', folder], { timeoutMs: 120_000 });
    const lines = jsonLines(r.stdout);
    expect(lines).toEqual([
      { schemaVersion: 1, file: folder, kind: 'truncated', truncated: [{ what: 'files', limit: 100_000, found: 100_005, leftOut: 5 }] },
    ]);
    expect(r.stderr).toBe(
      `ndr: ${folder}: 100,005 files, more than the 100,000 ndr reads in one run; the last 5 (in name order) were left out\n`,
    );
    const text = await runCli(['explain', folder], { timeoutMs: 120_000 });
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(
      /Not all explained: .*many: 100,005 files, more than the 100,000 ndr reads in one run; the last 5 \(in name order\) were left out\./,
    );
    rmSync(folder, { recursive: true });
  }, 240_000);
});
