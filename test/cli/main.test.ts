/**
 * `ndr explain ARG...` without options, or with flags that take no value,
 * skips commander (start-up time); it must hand runExplain exactly what
 * commander would, and leave everything else to commander.
 */
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { defaultOptions, plainExplain } from '../../src/cli/main.js';
import { OPTIONS, optionsFor } from '../../src/cli/options.js';

/** What commander passes a command's action for `argv`. */
async function commanderParse(argv: string[]): Promise<{ input: string[]; opts: Record<string, unknown> }> {
  const name = argv[0]!;
  const program = new Command('ndr').exitOverride();
  const cmd = program.command(name).argument('[input...]');
  for (const spec of optionsFor(name)) {
    const opt = new Option(spec.flags, spec.description);
    if (spec.choices) opt.choices(spec.choices);
    if (spec.defaultValue !== undefined) opt.default(spec.defaultValue);
    cmd.addOption(opt);
  }
  let seen = { input: [] as string[], opts: {} as Record<string, unknown> };
  cmd.action((input: string[], opts: Record<string, unknown>) => {
    seen = { input, opts: { ...opts } };
  });
  await program.parseAsync(argv, { from: 'user' });
  return seen;
}

const commanderDefaults = async (name: string) => (await commanderParse([name, '5.7.1'])).opts;

describe('defaultOptions', () => {
  const commands = [...new Set(OPTIONS.flatMap((o) => o.commands))].filter((c) => c !== '*' && !c.includes(' '));
  it.each(commands.map((c) => [c] as const))('%s: the same as commander', async (name) => {
    expect(defaultOptions(name)).toEqual(await commanderDefaults(name));
  });
});

describe('plainExplain', () => {
  it.each([
    [['explain', '5.7.1']],
    [['explain', '550', '5.1.10', 'RESOLVER.ADR.RecipientNotFound']],
    [['explain', '--json', 'a.eml', 'b.eml']],
    [['explain', 'folder', '--json']],
    [['explain', '--no-color', '--check', '5.7.1', '--json']],
  ])('%j: the same as commander', async (argv) => {
    expect(plainExplain(argv)).toEqual(await commanderParse(argv));
  });

  it.each([
    [['explain']],
    [['explain', '--json']],
    [['explain', '-']],
    [['explain', '--audience', 'admin', '5.7.1']],
    [['explain', '-a', 'admin', '5.7.1']],
    [['explain', '--json=true', '5.7.1']],
    [['explain', '--', '5.7.1']],
    [['explain', '--help']],
    [['codes', '5.7.1']],
    [['explain', '--no-such-flag', '5.7.1']],
  ])('%j: left to commander', (argv) => {
    expect(plainExplain(argv)).toBeNull();
  });
});
