import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testTempDir } from '../helpers/tmp.js';

const ESC = '\u001b';

describe('ndr explain through the real binary', () => {
  it('explains a code from its knowledge-base entry and exits 0', async () => {
    const r = await runCli(['explain', '5.1.10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^550 5\.1\.10|^5\.1\.10/m);
    expect(r.stdout).toMatch(/If you sent the message/);
    expect(r.stdout).toMatch(/For the e-mail admin/);
    expect(r.stderr).toBe('');
  });

  it('explains a code without an entry by its RFC 3463 meaning', async () => {
    const r = await runCli(['explain', '5.3.3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/System not capable of selected features/);
    expect(r.stdout).toMatch(/no specific entry/);
  });

  it('shows one audience with --audience', async () => {
    const sender = await runCli(['explain', '--audience', 'sender', '5.1.10']);
    expect(sender.stdout).toMatch(/If you sent the message/);
    expect(sender.stdout).not.toMatch(/For the e-mail admin/);
    const admin = await runCli(['explain', '--audience', 'admin', '5.1.10']);
    expect(admin.stdout).not.toMatch(/If you sent the message/);
    expect(admin.stdout).toMatch(/For the e-mail admin/);
  });

  it('prints one JSON document with the documented shape', async () => {
    const r = await runCli([
      'explain',
      '--json',
      '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'text' });
    expect(doc.findings).toHaveLength(2);
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['recipient', 'status', 'replyCode', 'remoteMta', 'diagnostic', 'entry', 'generic']),
      );
    }
    expect(doc.findings[1]).toMatchObject({ status: '5.7.1', replyCode: '554', wrappedBy: '5.7.350' });
  });

  it('exits 1 with a helpful message when nothing is recognisable', async () => {
    const r = await runCli(['explain', 'hello there']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ndr: no status code or known NDR text found/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['explain', '--bogus'])).code).toBe(2);
    expect((await runCli(['explain', '--audience', 'boss', '5.7.1'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: ndr/);
  });

  it('exits 3 on input errors without a stack trace', async () => {
    const r = await runCli(['explain', 'no-such-bounce.eml']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('ndr: no-such-bounce.eml: no such file\n');
    const dir = testTempDir('ndr-');
    const kb = join(dir, 'kb');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(kb);
    writeFileSync(join(kb, 'bad.yaml'), 'entries:\n  - id: x\n    colour: red\n');
    const bad = await runCli(['explain', '--kb', kb, '5.7.1']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/kb\/bad\.yaml:3: x\.colour: unknown key/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reads standard input with "-" and when no input is given', async () => {
    for (const args of [['explain', '-'], ['explain']]) {
      const r = await runCli(args, { input: 'Remote Server returned 550 5.3.4 too big\n' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/5\.3\.4/);
    }
  });

  it('has no colour when piped, with NO_COLOR, or with --no-color; colour with FORCE_COLOR', async () => {
    expect((await runCli(['explain', '5.3.4'])).stdout).not.toContain(ESC);
    expect((await runCli(['explain', '5.3.4'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['explain', '--no-color', '5.3.4'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['explain', '5.3.4'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}[1m`);
  });

  it('never lets control characters from the input reach the terminal', async () => {
    const evil = `550 5.3.4 too big ${ESC}]52;c;cm0gLXJmIH4=\u0007 ${ESC}[2J\u009b31m \u202eevil`;
    for (const args of [
      ['explain', evil],
      ['explain', '--json', evil],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    }
  });

  it('prints help and version with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
