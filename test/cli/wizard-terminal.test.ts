// The wizard through bin/ndr.js in a real terminal (tmux): the Outlook question,
// the DNS options, the closing command, and every line within the terminal's width.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { quoteArg } from '../../src/render/shell-quote.js';
import { BIN } from '../helpers/cli.js';
import { startNsd, type NsdServer } from '../helpers/nsd.js';
import { displayWidth, requireTmux, Tmux, PASTED_BOUNCE } from '../helpers/terminal.js';

const WIZARD = `node ${quoteArg(BIN)} wizard`;
const entry = explainText(loadKnowledgeBase(), '5.1.10').findings[0]!.match!.entry;

let nsd: NsdServer;
beforeAll(async () => {
  nsd = await startNsd();
});
afterAll(async () => {
  await nsd?.stop();
});

let term: Tmux | null = null;
afterEach(() => {
  term?.kill();
  term = null;
});
function open(command: string, columns = 100): Tmux {
  requireTmux();
  term = new Tmux({ columns, rows: 40 });
  term.start(command);
  return term;
}

const count = (screen: string, text: string) => screen.split(text).length - 1;

/**
 * Answers every question until the wizard ends: `outlook` picks the n-th
 * Outlook answer, "Did this solve it?" gets No, a note offer gets Yes.
 * Returns the whole screen with the exit code.
 */
async function walkToEnd(t: Tmux, outlookDowns: number): Promise<string> {
  const answered = { outlook: 0, solved: 0, note: 0 };
  const deadline = Date.now() + 30000;
  for (;;) {
    const s = t.screen();
    if (/^EXIT=\d+$/m.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`the wizard did not end; the screen:\n${s}`);
    if (count(s, 'Which Outlook') > answered.outlook) {
      answered.outlook++;
      for (let i = 0; i < outlookDowns; i++) t.keys('Down');
      t.keys('Enter');
    } else if (count(s, 'Did this solve it?') > answered.solved) {
      answered.solved++;
      t.text('n');
      t.keys('Enter');
    } else if (count(s, 'Print a ready-to-send note') > answered.note) {
      answered.note++;
      t.keys('Enter');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the Outlook question (ndr wizard in tmux)', () => {
  it('a webmail user is asked first, and never sees the classic Outlook steps', async () => {
    const classic = entry.solutions.sender.filter((s) => s.client === 'outlook-classic');
    expect(classic.length, 'the 5.1.10 entry has steps for classic Outlook').toBeGreaterThan(0);
    const t = open(`${WIZARD} --audience sender --code 5.1.10`);
    const asked = await t.waitFor('Which Outlook do you send mail with?');
    expect(asked).not.toContain('Solution A');
    const s = await walkToEnd(t, 0);
    expect(s).toContain('EXIT=0');
    expect(s).toMatch(/Solution A \(of \d\): Check the address and send the message again \(Outlook on the web\)/);
    for (const c of classic) expect(s).not.toContain(c.title);
    expect(s).toContain('$ ndr explain 5.1.10 --audience sender');
  }, 60000);

  it('"not sure" shows the steps for both', async () => {
    const t = open(`${WIZARD} --audience sender --code 5.1.10`);
    const s = await walkToEnd(t, 2);
    expect(s).toContain('EXIT=0');
    expect(s).toContain(`Solution A (of ${entry.solutions.sender.length})`);
  }, 60000);
});

describe('the closing command and the note (ndr wizard in tmux)', () => {
  it('pasted text: the command repeats the code and its words, not the pasted text; the admin note has no "you never sent"', async () => {
    const t = open(`${WIZARD} --audience sender`);
    await t.pasteBounce(PASTED_BOUNCE);
    const s = await walkToEnd(t, 0);
    expect(s).toContain('EXIT=0');
    // A long command is broken between arguments with " \\" (a shell reads it back whole).
    const commands = s.slice(s.lastIndexOf('To repeat this without the questions')).replace(/ \\\n +/g, ' ');
    expect(commands).toContain(
      "$ ndr explain '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' --audience sender",
    );
    expect(commands).not.toContain('Delivery has failed');
    // The note for the recipient's admin at the end.
    const note = s.slice(s.lastIndexOf("note for the recipient's e-mail admin"));
    expect(note).toContain('What it means:');
    expect(note).not.toMatch(/never sent/);
  }, 60000);
});

describe('DNS options (ndr wizard in tmux)', () => {
  it('--nameserver and --timeout: the checks ask that server, and the closing check-mx repeats them', async () => {
    const t = open(`${WIZARD} --audience admin --code '550 5.1.10' --nameserver ${nsd.nameserver} --timeout 2`);
    await t.waitFor(/Run the DNS checks \([A-Z, ]+\) for the recipient's domain now\?/);
    t.keys('Enter');
    await t.waitFor('Domain to check:');
    t.text('ok.ndr-test.example');
    t.keys('Enter');
    // The zone exists only on the test server: a pass proves the wizard asked it.
    const s = await t.waitFor(/\[ ok \] MX-TARGET/, 20000);
    expect(s).toContain('DNS checks for ok.ndr-test.example');
    const end = await walkToEnd(t, 0);
    expect(end).toContain('EXIT=0');
    expect(end).toContain(`$ ndr check-mx --nameserver ${nsd.nameserver} --timeout 2 ok.ndr-test.example`);
  }, 60000);

  it('a bad --nameserver is a usage error before the first question (exit 2)', async () => {
    const t = open(`${WIZARD} --nameserver dns.example.com`);
    const s = await t.waitFor(/^EXIT=\d+$/m);
    expect(s).toContain('EXIT=2');
    expect(s).toMatch(/^ndr: .*dns\.example\.com/m);
    expect(s).not.toContain('Who are you?');
  }, 30000);

  it('a bad --deadline too', async () => {
    const t = open(`${WIZARD} --deadline soon`);
    const s = await t.waitFor(/^EXIT=\d+$/m);
    expect(s).toContain('EXIT=2');
    expect(s).toMatch(/^ndr: --deadline must be a number of seconds/m);
  }, 30000);
});

describe('every line fits the terminal (ndr wizard in tmux)', () => {
  for (const columns of [60, 80, 120]) {
    it(`${columns} columns: the sender's walk to the note, and the admin's DNS checks`, async () => {
      const sender = open(
        `${WIZARD} --audience sender --code '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'`,
        columns,
      );
      const s = await walkToEnd(sender, 2);
      expect(s).toContain('EXIT=0');
      expect(s).toContain('----- end of note -----');
      sender.kill();

      const admin = open(
        `${WIZARD} --audience admin --code '550 5.7.23 The message was rejected because of Sender Policy Framework violation' --nameserver ${nsd.nameserver} --timeout 2`,
        columns,
      );
      await admin.waitFor(/Run the DNS checks/);
      admin.keys('Enter');
      await admin.waitFor('Domain to check:');
      admin.text('noeop.ndr-test.example');
      admin.keys('Enter');
      const a = await walkToEnd(admin, 0);
      expect(a).toContain('DNS checks for noeop.ndr-test.example');
      expect(a).toContain('[FAIL] SPF-EOP');

      for (const screen of [s, a]) {
        const lines = screen.split('\n');
        // -J joins the rows the terminal wrapped: a joined line wider than the terminal is one it had to break.
        const wide = lines.filter((l) => displayWidth(l) > columns);
        expect(wide, `lines wider than ${columns} columns`).toEqual([]);
      }
    }, 90000);
  }
});
