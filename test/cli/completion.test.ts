// `ndr completion bash|zsh|fish` through bin/ndr.js, and the scripts run in the real shells.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS, optionsFor } from '../../src/cli/options.js';
import { ROOT, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ndr-completion-'));
const scripts: Record<string, string> = {};

/** Fails with how to get the shell, instead of an ENOENT (.ci/run installs them). */
function requireShell(shell: string): void {
  const r = spawnSync(shell, ['-c', 'exit 0'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(
      `${shell} is not installed, and the completion test needs it: install it with "apt-get install -y ${shell}" (.ci/run does this in CI)`,
    );
}

function shell(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    timeout: 20000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

beforeAll(async () => {
  for (const sh of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', sh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[sh] = join(dir, `ndr.${sh}`);
    writeFileSync(scripts[sh]!, r.stdout);
  }
});

describe('ndr completion', () => {
  it('refuses another shell with a usage error (exit 2)', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/tcsh/);
  });
});

/**
 * Completes `words` (the last one is the word under the cursor) the way bash
 * does on TAB: COMP_WORDS and COMP_CWORD set, the function `complete -p ndr`
 * names called, COMPREPLY printed one per line.
 */
function bashComplete(words: string[]): string[] {
  const harness = `
source "$1"; shift
spec=$(complete -p ndr) || exit 9
fn=$(sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p' <<<"$spec")
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
"$fn" ndr "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = shell('bash', ['--norc', '--noprofile', '-c', harness, 'harness', scripts.bash!, ...words]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash accepts the script and completes', () => {
  beforeAll(() => requireShell('bash'));

  it('registers a completion function for ndr (complete -p)', () => {
    const r = shell('bash', ['--norc', '--noprofile', '-c', 'source "$1" && complete -p ndr', 'x', scripts.bash!]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^complete -F \S+ ndr$/m);
  });

  const ok = (words: string[], expected: string[]) =>
    it(`${words.join(' ')}<TAB> -> ${expected.join(' ') || '(nothing)'}`, () => expect(bashComplete(words)).toEqual(expected));
  ok(['ndr', 'ex'], ['explain']);
  ok(['ndr', 'c'], ['codes', 'check-mx', 'completion']);
  ok(['ndr', 'explain', '--aud'], ['--audience']);
  ok(['ndr', 'explain', '--audience', ''], ['sender', 'admin', 'all']);
  ok(['ndr', 'explain', '--audience', 'a'], ['admin', 'all']);
  ok(['ndr', 'wizard', '-a', 's'], ['sender']);
  ok(['ndr', 'explain', '-a', 'admin', '--js'], ['--json']);
  ok(['ndr', '--no-color', 'check-mx', '--time'], ['--timeout']);
  ok(['ndr', 'check-mx', '--timeout', ''], []);
  ok(['ndr', 'kb', ''], ['lint', '--help']);
  ok(['ndr', 'kb', 'lint', '--j'], ['--json']);
  ok(['ndr', 'completion', 'z'], ['zsh']);
  ok(['ndr', 'explain', 'examples/bounce-5.1.1'], ['examples/bounce-5.1.10.eml']);
  ok(['ndr', 'explain', '--kb', 'knowl'], ['knowledge']);

  // The scripts come from what commander is given, which the option table feeds: nothing can drift.
  const commands = [...new Set(OPTIONS.flatMap((o) => o.commands).filter((c) => c !== '*'))];
  it.each(commands.map((c) => [c] as const))('offers every option of %s from the option table', (command) => {
    const offered = bashComplete(['ndr', ...command.split(' '), '--']);
    for (const spec of optionsFor(command)) expect(offered, spec.flags).toContain(/--[a-z-]+/.exec(spec.flags)![0]);
  });
  it.each(OPTIONS.filter((o) => o.choices).map((o) => [o.flags, o] as const))('offers the values of %s', (_flags, spec) => {
    const long = /--[a-z-]+/.exec(spec.flags)![0];
    expect(bashComplete(['ndr', spec.commands[0]!, long, ''])).toEqual(spec.choices);
  });
});

describe('zsh', () => {
  beforeAll(() => requireShell('zsh'));

  it('parses the script (zsh -n)', () => {
    const r = shell('zsh', ['-n', scripts.zsh!]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('registers _ndr for ndr with compinit loaded', () => {
    const r = shell('zsh', [
      '-f',
      '-c',
      `autoload -Uz compinit && compinit -u -d ${join(dir, 'zcompdump')} && source ${scripts.zsh} && print -r -- $_comps[ndr]`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_ndr');
  });
});

describe('fish', () => {
  beforeAll(() => requireShell('fish'));

  it('parses the script (fish -n)', () => {
    const r = shell('fish', ['--no-execute', scripts.fish!]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const ok = (line: string, expected: string[]) =>
    it(`complete -C "${line}" -> ${expected.join(' ')}`, () => {
      const r = shell('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C '${line}'`]);
      expect(r.stderr).toBe('');
      expect(
        r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]),
      ).toEqual(expected);
    });
  ok('ndr ex', ['explain']);
  ok('ndr explain --audience ', ['admin', 'all', 'sender']);
  ok('ndr kb ', ['lint']);
  ok('ndr check-mx --time', ['--timeout']);
});
