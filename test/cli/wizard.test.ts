import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { explainText } from '../../src/knowledge/explain.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { quoteArg } from '../../src/wizard/shell-quote.js';

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

/**
 * A real terminal: tmux on a private socket, the command in a detached
 * session, keys sent with send-keys and the screen read with capture-pane.
 * Waits poll the screen with a deadline; nothing depends on a fixed sleep.
 */
class Tmux {
  readonly socket = `ndr-test-${randomBytes(6).toString('hex')}`;
  private started = false;

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: tmuxEnv() });
  }

  start(command: string): void {
    // The pane keeps the shell alive after the command so its exit code can be read.
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'ndr', '-x', '100', '-y', '50', '-c', ROOT, `sh -c ${quoteArg(`${command}; echo EXIT=$?; exec sleep 300`)}`]);
    this.started = true;
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-t', 'ndr', '-S', '-200']);
  }

  cursorVisible(): boolean {
    return this.tmux(['display-message', '-p', '-t', 'ndr', '#{cursor_flag}']).trim() === '1';
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'ndr', ...keys]);
  }

  text(text: string): void {
    this.tmux(['send-keys', '-t', 'ndr', '-l', text]);
  }

  /** Polls the screen until `want` shows (count times), or fails with the screen after `ms`. */
  async waitFor(want: string | RegExp, ms = 10000, count = 1): Promise<string> {
    const deadline = Date.now() + ms;
    const seen = (s: string) => (typeof want === 'string' ? s.split(want).length - 1 : (s.match(new RegExp(want.source, `${want.flags.replace('g', '')}g`)) ?? []).length) >= count;
    for (;;) {
      const s = this.screen();
      if (seen(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${String(want)}${count > 1 ? ` (x${count})` : ''}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Pastes like a terminal does: the whole text at once, newlines as Enter. */
  paste(text: string): void {
    execFileSync('tmux', ['-L', this.socket, 'load-buffer', '-'], { input: text, env: tmuxEnv() });
    this.tmux(['paste-buffer', '-d', '-t', 'ndr']);
  }

  kill(): void {
    if (this.started) spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: tmuxEnv() });
    this.started = false;
  }
}

/** The wizard refuses when CI is set, so the terminal tests run without it. */
function tmuxEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1' };
  delete env.CI;
  delete env.TMUX;
  delete env.FORCE_COLOR;
  return env;
}

function requireTmux(): void {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('tmux is not installed, and the wizard\'s real-terminal test needs it: install it with "apt-get install -y tmux" (.ci/run does this in CI)');
  }
}

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
    await t.waitFor('How do you want to give the bounce?');
    t.keys('Down', 'Enter');
    await t.waitFor('Paste the text of the bounce.');
    t.paste('Delivery has failed to these recipients or groups:\n\nalice@contoso.com\n\nRemote Server returned 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n');
    t.text('.');
    t.keys('Enter');
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

  it('refuses with CI set, even in a terminal: exit 2', async () => {
    const t = open(`CI=true ${WIZARD}`);
    const s = await t.waitFor(/EXIT=\d+/);
    expect(s).toContain('ndr: the wizard needs a terminal (CI is set); use ndr explain instead');
    expect(s).toContain('EXIT=2');
  }, 40000);
});
