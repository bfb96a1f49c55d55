/**
 * Pasted text that names the failed recipient gives it, as an argument and on
 * standard input, in JSON and in the text output (issue 14: examples/ndr-5.1.10.txt).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const PASTED = readFileSync(join(ROOT, 'examples/ndr-5.1.10.txt'), 'utf8');

describe('ndr explain <pasted text> names the recipient the text names', () => {
  it.each([
    ['as an argument', ['explain', '--json', PASTED], undefined],
    ['on standard input', ['explain', '--json', '-'], PASTED],
  ])('%s', async (_, args, input) => {
    const r = await runCli(args as string[], { input });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { kind: string; findings: { recipient: string | null; status: string | null }[] };
    expect(doc.kind).toBe('text');
    expect(doc.findings.map((f) => [f.recipient, f.status])).toEqual([['tomas@fabrikam.example', '5.1.10']]);
  });

  it('shows it in the text output, and gives none where the text names no recipient', async () => {
    const named = await runCli(['explain', '550 5.1.1 <erik.lind@fabrikam.example>: Recipient address rejected: User unknown']);
    expect(named.stdout).toMatch(/recipient: erik\.lind@fabrikam\.example/);
    const sender = await runCli(['explain', '--json', '550 5.7.1 <anna@contoso.example>: Sender address rejected: Access denied']);
    expect((JSON.parse(sender.stdout) as { findings: { recipient: string | null }[] }).findings.map((f) => f.recipient)).toEqual([null]);
  });
});
