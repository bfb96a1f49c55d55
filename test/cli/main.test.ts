/**
 * `ndr explain ARG...` without options skips commander (start-up time); it must
 * hand runExplain exactly what commander would.
 */
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/cli/main.js';
import { OPTIONS, optionsFor } from '../../src/cli/options.js';

/** What commander passes a command's action when no option is given. */
async function commanderDefaults(name: string): Promise<Record<string, unknown>> {
  const program = new Command('ndr').exitOverride();
  const cmd = program.command(name).argument('[input...]');
  for (const spec of optionsFor(name)) {
    const opt = new Option(spec.flags, spec.description);
    if (spec.choices) opt.choices(spec.choices);
    if (spec.defaultValue !== undefined) opt.default(spec.defaultValue);
    cmd.addOption(opt);
  }
  let seen: Record<string, unknown> = {};
  cmd.action((_input: string[], opts: Record<string, unknown>) => {
    seen = { ...opts };
  });
  await program.parseAsync([name, '5.7.1'], { from: 'user' });
  return seen;
}

describe('defaultOptions', () => {
  const commands = [...new Set(OPTIONS.flatMap((o) => o.commands))].filter((c) => c !== '*' && !c.includes(' '));
  it.each(commands.map((c) => [c] as const))('%s: the same as commander', async (name) => {
    expect(defaultOptions(name)).toEqual(await commanderDefaults(name));
  });
});
