import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { BIN, runCli } from '../helpers/cli.js';
import { requireTmux, Tmux, PASTED_BOUNCE } from '../helpers/terminal.js';
import { testTempDir } from '../helpers/tmp.js';
import { quoteArg } from '../../src/render/shell-quote.js';

const TWO_RECIPIENTS = fileURLToPath(new URL('../wizard/fixtures/eml/two-recipients.eml', import.meta.url));

describe('ndr wizard without a terminal (pipes)', () => {
  it('refuses in one line naming ndr explain, exit 2', async () => {
    const r = await runCli(['wizard']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ndr: the wizard needs a terminal \(standard input is not a terminal\); use ndr explain instead/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses with presets too, before touching the file', async () => {
    const r = await runCli(['wizard', '--audience', 'admin', '--file', 'no-such.eml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ndr explain/);
  });

  it('ndr with no arguments prints help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: ndr/);
    expect(r.stderr).toMatch(/wizard/);
  });
});

const WIZARD = `node ${quoteArg(BIN)} wizard`;

describe('ndr wizard in a real terminal (tmux)', () => {
  let term: Tmux | null = null;
  afterEach(() => {
    term?.kill();
    term = null;
  });
  const open = (command: string) => {
    requireTmux();
    term = new Tmux();
    term.start(command);
    return term;
  };

  it('sender path for 5.1.10 shows its first solution; Ctrl+C exits 130 with the cursor shown', async () => {
    const entry = explainText(loadKnowledgeBase(), '5.1.10').findings[0]?.match?.entry;
    expect(entry, 'the bundled knowledge base needs an entry for 5.1.10').toBeDefined();
    expect(entry!.solutions.sender.length, 'the 5.1.10 entry needs sender solutions').toBeGreaterThan(0);
    const t = open(WIZARD);
    await t.waitFor('Who are you?');
    t.keys('Enter');
    await t.waitFor('How do you want to give the bounce?');
    t.keys('Down', 'Down', 'Enter');
    await t.waitFor('The code (such as 5.1.10');
    t.text('5.1.10');
    t.keys('Enter');
    // The entry's steps differ between Outlooks: the first answer is Outlook on the web.
    const web = entry!.solutions.sender.filter((x) => x.client !== 'outlook-classic');
    expect(web.length, 'the 5.1.10 entry has steps per Outlook').toBeLessThan(entry!.solutions.sender.length);
    await t.waitFor('Which Outlook do you send mail with?');
    t.keys('Enter');
    const s = await t.waitFor('Did this solve it?');
    expect(s).toContain(entry!.title);
    expect(s).toContain('Who must act');
    expect(s.replace(/\s+/g, ' ')).toContain(`Solution A (of ${web.length}): ${web[0]!.title}`.replace(/\s+/g, ' '));
    t.keys('C-c');
    const end = await t.waitFor(/EXIT=\d+/);
    expect(end).toContain('EXIT=130');
    expect(end).toMatch(/^ndr: interrupted$/m);
    expect(t.cursorVisible()).toBe(true);
  }, 40000);

  it('admin path offers the DNS checks for the recipient domain', async () => {
    const entry = explainText(loadKnowledgeBase(), '5.1.10').findings[0]?.match?.entry;
    expect(entry, 'the bundled knowledge base needs an entry for 5.1.10').toBeDefined();
    expect(entry!.checks.length, 'the 5.1.10 entry needs related checks for the admin path to offer them').toBeGreaterThan(0);
    const t = open(WIZARD);
    await t.waitFor('Who are you?');
    t.keys('Down', 'Enter');
    await t.waitFor('How do you want to give the bounce?');
    t.keys('Enter');
    await t.waitFor('Path of the saved bounce:');
    t.text(TWO_RECIPIENTS);
    t.keys('Enter');
    await t.waitFor('Which one do you want to work on?');
    t.keys('Enter');
    const s = await t.waitFor(/Run the DNS checks \([A-Z, ]+\) for contoso\.com now\?/);
    expect(s).toContain('recipient: alice@contoso.com');
    t.keys('C-c');
    expect(await t.waitFor(/EXIT=\d+/)).toContain('EXIT=130');
  }, 40000);

  it('pasted multi-line text is read to the closing dot and explained', async () => {
    const t = open(`${WIZARD} --audience sender`);
    await t.pasteBounce(PASTED_BOUNCE);
    const s = await t.waitFor(/Which Outlook|Did this solve it\?|EXIT=\d+/);
    expect(s).toMatch(/550 5\.1\.10 /);
    expect(s).toContain('diagnostic: Delivery has failed');
    // With sender solutions the wizard now asks about the first one; without, it has ended.
    if (/EXIT=\d+/.test(s)) expect(s).toContain('EXIT=0');
    else {
      t.keys('C-c');
      expect(await t.waitFor(/EXIT=\d+/)).toContain('EXIT=130');
    }
  }, 40000);

  it('Ctrl+C while pasting: exit 130, the message on its own line', async () => {
    const t = open(`${WIZARD} --audience admin`);
    await t.waitFor('How do you want to give the bounce?');
    t.keys('Down', 'Enter');
    await t.waitFor('Paste the text of the bounce.');
    t.text('550 5.1.10 half a line');
    t.keys('C-c');
    const s = await t.waitFor(/EXIT=\d+/);
    expect(s).toMatch(/^ndr: interrupted$/m);
    expect(s).toContain('EXIT=130');
  }, 40000);

  it('ndr with no arguments starts the wizard in a terminal', async () => {
    const t = open(`node ${quoteArg(BIN)}`);
    await t.waitFor('Who are you?');
    t.keys('C-c');
    expect(await t.waitFor(/EXIT=\d+/)).toContain('EXIT=130');
  }, 40000);

  it('"Quit" from its menu is a normal end: exit 0, nothing on stderr', async () => {
    const file = join(testTempDir('ndr-wizard-quit-'), 'no-code.txt');
    writeFileSync(file, 'hello, this names no code at all\n');
    const t = open(`${WIZARD} --audience sender --file ${quoteArg(file)} 2>&1`);
    await t.waitFor('What now?');
    t.keys('Down', 'Enter');
    const s = await t.waitFor(/EXIT=\d+/);
    expect(s).toContain('EXIT=0');
    expect(s).not.toMatch(/^ndr:/m);
  }, 40000);

  it('refuses with CI set, even in a terminal: exit 2', async () => {
    const t = open(`CI=true ${WIZARD}`);
    const s = await t.waitFor(/EXIT=\d+/);
    expect(s).toContain('ndr: the wizard needs a terminal (CI is set); use ndr explain instead');
    expect(s).toContain('EXIT=2');
  }, 40000);
});
