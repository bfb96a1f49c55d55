// @inquirer/testing/vitest must come first: it mocks the @inquirer prompt packages.
import { screen } from '@inquirer/testing/vitest';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../../src/cli/commands/wizard.js';
import { reportEnd } from '../../src/cli/exit.js';
import type { CliIo } from '../../src/cli/io.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { CheckName } from '../../src/knowledge/types.js';
import type { CheckResult } from '../../src/checks/types.js';
import { promptText, readMultiline, WizardInterruptedError } from '../../src/wizard/prompts.js';
import { createWorld } from '../../src/wizard/world.js';

const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('./fixtures/kb/', import.meta.url)) });
const TWO_RECIPIENTS = fileURLToPath(new URL('./fixtures/eml/two-recipients.eml', import.meta.url));

/** A terminal-like io whose stdout collects what the wizard prints between prompts. */
function fakeIo() {
  let text = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    }),
    { isTTY: true, columns: 80 },
  );
  const io: CliIo = { stdout, stderr: new PassThrough(), stdin: Object.assign(new PassThrough(), { isTTY: true }), env: { NO_COLOR: '1' } };
  // Prose is wrapped to the terminal width: compare with white space folded.
  return { io, printed: () => text.replace(/\s+/g, ' ') };
}

/** Real file reading and bounce parsing; DNS checks answered from a table. */
function worldWith(results: CheckResult[], asked: { domain: string; checks: CheckName[] }[] = []) {
  return (io: CliIo, interrupted: () => Error) => ({
    ...createWorld(kb, io, interrupted),
    runChecks: async (domain: string, checks: CheckName[]) => {
      asked.push({ domain, checks });
      return results;
    },
  });
}

async function expectPrompt(text: string | RegExp) {
  await screen.next();
  const s = screen.getScreen();
  if (typeof text === 'string') expect(s).toContain(text);
  else expect(s).toMatch(text);
  return s;
}

describe('the sender path, driven through the real prompts', () => {
  it('5.1.10 typed as a code: solution, hand-off note, then the note for the admin', async () => {
    const { io, printed } = fakeIo();
    const run = runWizard({}, io, { kb, assumeTerminal: true, world: worldWith([]) });

    const who = await expectPrompt('Who are you?');
    expect(who).toContain('The sender: I sent the message and it came back');
    expect(who).toContain('An e-mail admin: I look after the mail system');
    screen.keypress('enter');

    await expectPrompt('How do you want to give the bounce?');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter');

    await expectPrompt('The code (such as 5.1.10, or 550 5.1.10):');
    screen.type('hello');
    screen.keypress('enter');
    await expectPrompt('No code found');
    for (let i = 0; i < 5; i++) screen.keypress('backspace');
    screen.type('5.1.10');
    screen.keypress('enter');

    await expectPrompt('Did this solve it?');
    expect(printed()).toContain('5.1.10 Recipient not found');
    expect(printed()).toContain('What it means');
    expect(printed()).toContain('Who must act');
    expect(printed()).toContain('[ Sender ]');
    expect(printed()).toContain('Solution A (of 2): Check the address and send again');
    expect(printed()).not.toContain('Solution B');
    screen.type('n');
    screen.keypress('enter');

    await expectPrompt('Print a ready-to-send note for the recipient?');
    expect(printed()).toContain('This one is for the recipient: you cannot do this one yourself');
    screen.keypress('enter');

    await expectPrompt('Did this solve it?');
    expect(printed()).toContain('note for the recipient (copy from here)');
    expect(printed()).toContain('Ask the recipient for their current address');
    screen.keypress('enter');

    await expect(run).resolves.toEqual({ exit: 'ok' });
    const out = printed();
    expect(out).toContain("That was the last thing you can try yourself. Send this note to the recipient's e-mail admin");
    expect(out).toContain("note for the recipient's e-mail admin (copy from here)");
    expect(out).toContain('Make sure the mailbox exists');
    expect(out).toContain('$ ndr explain 5.1.10 --audience sender');
  });

  it('"Yes" ends with a short summary', async () => {
    const { io, printed } = fakeIo();
    const run = runWizard({ audience: 'sender', code: '5.1.10' }, io, { kb, assumeTerminal: true, world: worldWith([]) });
    await expectPrompt('Did this solve it?');
    screen.type('y');
    screen.keypress('enter');
    await expect(run).resolves.toEqual({ exit: 'ok' });
    expect(printed()).toContain('Solved: 5.1.10 Recipient not found, by A. Check the address and send again.');
    expect(printed()).toContain('$ ndr explain 5.1.10 --audience sender');
  });
});

describe('the admin path, driven through the real prompts', () => {
  it('a bounce file with two recipients: pick one, run the DNS checks, walk the fixes', async () => {
    const { io, printed } = fakeIo();
    const asked: { domain: string; checks: CheckName[] }[] = [];
    const results: CheckResult[] = [
      {
        id: 'mx-target',
        status: 'fail',
        message: 'MX points to mx.example.net, not Exchange Online',
        evidence: [{ name: 'contoso.com', type: 'MX', value: '10 mx.example.net', ttl: 3600, status: 'ok' }],
        fix: {
          steps: ['Point the MX record to contoso-com.mail.protection.outlook.com.'],
          kb: null,
          docs: ['https://learn.microsoft.com/mx'],
        },
      },
      { id: 'mx-records', status: 'pass', message: 'one MX record', evidence: [], fix: null },
    ];
    const run = runWizard({}, io, { kb, assumeTerminal: true, world: worldWith(results, asked) });

    await expectPrompt('Who are you?');
    screen.keypress('down');
    screen.keypress('enter');

    await expectPrompt('How do you want to give the bounce?');
    screen.keypress('enter');

    await expectPrompt('Path of the saved bounce:');
    screen.type('/no/such/bounce.eml');
    screen.keypress('enter');
    await expectPrompt('/no/such/bounce.eml: no such file');
    for (let i = 0; i < '/no/such/bounce.eml'.length; i++) screen.keypress('backspace');
    screen.type(TWO_RECIPIENTS);
    screen.keypress('enter');

    const pick = await expectPrompt('The bounce lists 2 failed recipients. Which one do you want to work on?');
    expect(pick).toContain('alice@contoso.com  550 5.1.10  Recipient not found');
    expect(pick).toContain('carol@contoso.com  552 5.3.4  Message too big');
    screen.keypress('enter');

    await expectPrompt('Run the DNS checks (MX) for contoso.com now?');
    expect(printed()).toContain('recipient: alice@contoso.com');
    expect(printed()).toContain('remote server: mx.contoso.com');
    screen.keypress('down');
    screen.keypress('enter');

    await expectPrompt('Domain to check:');
    expect(screen.getScreen()).toContain('contoso.com');
    // An IP address in any form is refused, as ndr check-mx refuses it (issue 13: the wizard used to take it).
    const erase = (text: string) => [...text].forEach(() => screen.keypress('backspace'));
    erase('contoso.com');
    for (const ip of ['0x7f.1', '1.2.3.4']) {
      screen.type(ip);
      screen.keypress('enter');
      await expectPrompt('Type a domain name such as contoso.com.');
      expect(screen.getScreen()).toContain(ip);
      erase(ip);
    }
    screen.type('alice@Contoso.com');
    screen.keypress('enter');

    await expectPrompt('Did this solve it?');
    expect(asked).toEqual([{ domain: 'contoso.com', checks: ['mx'] }]);
    const checks = printed();
    expect(checks).toContain('DNS checks for contoso.com');
    expect(checks).toContain('[FAIL] MX-TARGET: MX points to mx.example.net, not Exchange Online');
    expect(checks).toContain('contoso.com MX 10 mx.example.net');
    expect(checks).toContain('[ ok ] MX-RECORDS: one MX record');
    expect(checks).toContain('what to do: 1. Point the MX record to contoso-com.mail.protection.outlook.com.');
    expect(checks).toContain('see: https://learn.microsoft.com/mx');
    expect(checks).toContain('-> see solution B below: Check that the MX record points to Exchange Online');
    expect(checks).toContain('Solution A (of 3): Make sure the mailbox exists');
    expect(checks).toContain("(done by the recipient's e-mail admin)");
    screen.keypress('enter');

    await expectPrompt('Did this solve it?');
    expect(printed()).toContain('Solution B (of 3): Check that the MX record points to Exchange Online');
    screen.keypress('enter');

    await expectPrompt('Print a ready-to-send note for the group owner?');
    expect(printed()).toContain('This one is for the group owner: someone outside the admin team does this');
    screen.keypress('enter');

    await expectPrompt('Did this solve it?');
    expect(printed()).toContain('Open the group');
    screen.type('y');
    screen.keypress('enter');

    await expect(run).resolves.toEqual({ exit: 'ok' });
    const out = printed();
    expect(out).toContain(
      'Solved: 550 5.1.10 Recipient not found for alice@contoso.com, by C. Ask the group owner to allow senders from outside.',
    );
    // A command longer than the line is broken between arguments with " \\".
    expect(out.replace(/ \\ /g, ' ')).toContain(`$ ndr explain ${TWO_RECIPIENTS} --audience admin`);
    expect(out).toContain('$ ndr check-mx contoso.com');
  });

  it("--audience admin --code: no checks for an entry without them; the sender's fixes become hand-offs", async () => {
    const { io, printed } = fakeIo();
    const run = runWizard({ audience: 'admin', code: '552 5.3.4' }, io, { kb, assumeTerminal: true, world: worldWith([]) });
    await expectPrompt('Print a ready-to-send note for the sender?');
    screen.type('n');
    screen.keypress('enter');
    await expectPrompt('Did this solve it?');
    screen.keypress('enter');
    await expect(run).resolves.toEqual({ exit: 'ok' });
    expect(printed()).toContain('That was the last solution ndr knows for "Message too big"');
    expect(printed()).toContain("$ ndr explain '552 5.3.4' --audience admin");
  });
});

describe('untrusted text in prompts', () => {
  it('a recipient address with escape sequences is shown escaped in the choice list', async () => {
    const { io } = fakeIo();
    const evil = [
      { recipient: 'alice@contoso.com\u001b[2J\u001b]0;pwned\u0007', status: '5.1.10' },
      { recipient: 'carol@contoso.com\u202egnp.exe', status: '5.3.4' },
    ];
    const world = (wio: CliIo, interrupted: () => Error) => ({
      ...createWorld(kb, wio, interrupted),
      load: async () => ({
        type: 'loaded' as const,
        loaded: {
          findings: evil.map((e) => ({ ...kbFinding(e.status), recipient: e.recipient })),
          sender: null,
        },
      }),
    });
    const run = runWizard({ audience: 'sender', code: '5.1.10' }, io, { kb, assumeTerminal: true, world });
    await screen.next();
    const raw = screen.getScreen({ raw: true });
    expect(raw).toContain('alice@contoso.com\\x1b[2J\\x1b]0;pwned\\x07');
    expect(raw).toContain('carol@contoso.com\\u202egnp.exe');
    expect(raw).not.toContain('\u001b]0;');
    expect(raw).not.toContain('\u202e');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(run).rejects.toMatchObject({ ndrExit: 'interrupted', exitCode: 130 });
  });

  it('promptText folds lines and escapes controls', () => expect(promptText('a\nb\u0007\u200b')).toBe('a b\\x07\\u200b'));
});

describe('Ctrl+C', () => {
  it('at a prompt: exit 130 and one quiet line (said by the one exit point)', async () => {
    const { io } = fakeIo();
    let err = '';
    io.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const run = runWizard({}, io, { kb, assumeTerminal: true, world: worldWith([]) });
    await expectPrompt('Who are you?');
    screen.keypress({ name: 'c', ctrl: true });
    const error: unknown = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBe('');
    expect(reportEnd(io, { error })).toBe(130);
    expect(err).toBe('ndr: interrupted\n');
  });
});

describe('pasting multi-line text', () => {
  const streams = () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    return { input, output, controller: new AbortController() };
  };
  it('reads lines until a lone dot', async () => {
    const s = streams();
    const got = readMultiline('Paste', 1000, { input: s.input, output: s.output, signal: s.controller.signal }, false);
    s.input.write('Delivery has failed.\r\n550 5.1.10 RESOLVER.ADR.RecipientNotFound\n\n.\nnot this\n');
    await expect(got).resolves.toBe('Delivery has failed.\n550 5.1.10 RESOLVER.ADR.RecipientNotFound\n');
  });
  it('or until the input ends (Ctrl+D)', async () => {
    const s = streams();
    const got = readMultiline('Paste', 1000, { input: s.input, output: s.output, signal: s.controller.signal }, false);
    s.input.end('one\ntwo\n');
    await expect(got).resolves.toBe('one\ntwo');
  });
  it('stops past the size limit', async () => {
    const s = streams();
    const got = readMultiline('Paste', 10, { input: s.input, output: s.output, signal: s.controller.signal }, false);
    s.input.write('0123456789abc\n');
    await expect(got).rejects.toThrow(/longer than 10 characters/);
  });
  it('is interrupted by the abort signal', async () => {
    const s = streams();
    const got = readMultiline('Paste', 1000, { input: s.input, output: s.output, signal: s.controller.signal }, false);
    s.controller.abort();
    await expect(got).rejects.toBeInstanceOf(WizardInterruptedError);
  });
});

function kbFinding(code: string) {
  return explainText(kb, code).findings[0]!;
}
