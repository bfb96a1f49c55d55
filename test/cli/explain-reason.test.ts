/**
 * The cause (sisimai reason) of each finding and the "see also" of a code
 * the words overrule, through the real binary: JSON, text, exit codes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface JsonFinding {
  status: string | null;
  reason: string;
  match: { tier: string | null; matched: string | null; seeAlso: { id: string; title: string; code: string } | null } | null;
  entry: { id: string } | null;
}

async function explainJson(...args: string[]): Promise<{ code: number | null; findings: JsonFinding[] }> {
  const r = await runCli(['explain', '--json', ...args]);
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings };
}

describe('reason and see also through bin/ndr.js', () => {
  it('a spam rejection with 5.7.1 is spam, not a group permission', async () => {
    const { code, findings } = await explainJson('550 5.7.1 Message rejected as spam by Content Filtering.');
    expect(code).toBe(0);
    expect([findings[0]!.entry?.id, findings[0]!.reason]).toEqual(['content-filter-spam-rejection', 'spamdetected']);
    const text = await runCli(['explain', '550 5.7.1 Message rejected as spam by Content Filtering.']);
    expect(text.stdout).toMatch(/reason: the message was judged to be spam \(spamdetected\)/);
  });

  it('words that contradict the code choose their entry; the code\'s entry is "see also"', async () => {
    const { findings } = await explainJson('550 5.7.1 No such user');
    const [f] = findings;
    expect([f!.entry?.id, f!.reason]).toEqual(['user-unknown', 'userunknown']);
    expect(f!.match?.seeAlso).toEqual({ id: 'delivery-not-authorized', title: expect.any(String), code: '5.7.1' });
    const text = await runCli(['explain', '550 5.7.1 No such user']);
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(
      /the code 5\.7\.1 points to delivery-not-authorized.*see also: delivery-not-authorized/,
    );
  });

  it('prose without a code finds its entry and exits 0', async () => {
    const ptr = await explainJson('571 No PTR Record found. Reverse DNS required');
    expect(ptr.code).toBe(0);
    expect([ptr.findings[0]!.entry?.id, ptr.findings[0]!.reason]).toEqual(['reverse-dns-missing', 'requireptr']);
    const nb = await explainJson('Postboksen til mottakeren er full og kan ikke ta imot meldinger nå.');
    expect([nb.findings[0]!.entry?.id, nb.findings[0]!.reason]).toEqual(['mailbox-full', 'mailboxfull']);
  });

  it('a generic code does not block the words', async () => {
    const { findings } = await explainJson('550 5.0.0 User unknown');
    expect([findings[0]!.entry?.id, findings[0]!.reason, findings[0]!.match?.tier]).toEqual(['user-unknown', 'userunknown', 'words']);
  });

  it('codes and explain agree on 5.4.4; the listing marks variants that need their words', async () => {
    const { findings } = await explainJson('5.4.4');
    expect(findings[0]!.entry?.id).toBe('nonexistent-recipient-domain');
    const listed = JSON.parse((await runCli(['codes', '--json', '5.7.1'])).stdout) as { entries: { id: string; needsWords: boolean }[] };
    expect(listed.entries.find((e) => e.id === 'delivery-not-authorized')?.needsWords).toBe(false);
    expect(listed.entries.find((e) => e.id === 'relay-denied')?.needsWords).toBe(true);
    expect((await runCli(['codes', '5.7.1'])).stdout).toMatch(/\(needs its words\)\s+\[relay-denied\]/);
  });

  it('every finding of a bounce carries a reason; a feedback report is feedback', async () => {
    const bounce = JSON.parse((await runCli(['explain', '--json', 'examples/bounce-5.1.10.eml'])).stdout) as { findings: JsonFinding[] };
    expect(bounce.findings.map((f) => f.reason)).toEqual(['userunknown']);
    const arf = JSON.parse((await runCli(['explain', '--json', 'test/fixtures/eml/feedback-report.eml'])).stdout) as {
      findings: JsonFinding[];
    };
    expect(arf.findings.every((f) => f.reason === 'feedback')).toBe(true);
  });

  it("kb lint refuses an entry without a reason, or with one that is not sisimai's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-reason-'));
    const kb = join(dir, 'kb');
    mkdirSync(kb);
    const entry = (reason: string) => `entries:
  - id: sample
${reason}    codes: ["5.7.1"]
    title: T
    summary: S
    causes: [c]
    owner: [sender]
    solutions: { sender: [{ title: t, steps: [s] }] }
    sources: [https://example.com/x]
    examples: { match: ["5.7.1"], nomatch: ["5.1.1"] }
`;
    writeFileSync(join(kb, 'a.yaml'), entry(''));
    const missing = await runCli(['kb', 'lint', kb]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toMatch(/kb\/a\.yaml:2: sample\.reason: missing required key/);
    writeFileSync(join(kb, 'a.yaml'), entry('    reason: grumpy\n'));
    const wrong = await runCli(['kb', 'lint', kb]);
    expect(wrong.stdout).toMatch(/kb\/a\.yaml:3: sample\.reason: must be one of sisimai's reasons/);
    writeFileSync(join(kb, 'a.yaml'), entry('    reason: filtered\n'));
    expect((await runCli(['kb', 'lint', kb])).code).toBe(0);
  });
});

describe('the SMTP stage of a bounce through bin/ndr.js', () => {
  const bounce = (stage: string) =>
    `From: MAILER-DAEMON@mx.contoso.example\nTo: anna@contoso.example\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host mx.contoso.example.\n\n<bob@fabrikam.example>: host mx.fabrikam.example[192.0.2.1] said: 550\n    <bob@fabrikam.example>: User unknown (in reply to ${stage} command)\n`;
  const write = (name: string, text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'ndr-stage-')), name);
    writeFileSync(file, text);
    return file;
  };

  it.each([
    ['end of DATA', 'DATA', 'filtered'],
    ['RCPT TO', 'RCPT', 'userunknown'],
    ['MAIL FROM', 'MAIL', 'rejected'],
  ])('User unknown in reply to %s: command %s, reason %s', async (stage, command, reason) => {
    const file = write('stage.eml', bounce(stage));
    const r = await runCli(['explain', '--json', file]);
    const f = (JSON.parse(r.stdout) as { findings: { command: string | null; reason: string }[] }).findings[0]!;
    expect([f.command, f.reason]).toEqual([command, reason]);
  });

  it('the text output says the refusal came after DATA, and the reason in plain words', async () => {
    const r = await runCli(['explain', write('data.eml', bounce('end of DATA'))]);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/refused in reply to DATA, after the whole message was sent/);
    // A "User unknown" reply after DATA: filtered in sisimai's sense, with the user-unknown advice; the plain words say both.
    expect(text).toMatch(
      /reason: the recipient's side refused it with words of an unknown address, but not in reply to the address itself \(RCPT TO\): a filter there, or a missing address \(filtered\)/,
    );
    const rcpt = (await runCli(['explain', write('rcpt.eml', bounce('RCPT TO'))])).stdout.replace(/\s+/g, ' ');
    expect(rcpt).not.toMatch(/in reply to DATA/);
  });
});
