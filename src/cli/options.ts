/**
 * One declarative option table: it feeds commander (src/cli/main.ts), `--help`
 * and README's command reference (test/cli/options.test.ts keeps README true).
 */
export interface OptionSpec {
  flags: string;
  description: string;
  /** The commands that take it. */
  commands: string[];
  choices?: string[];
  defaultValue?: string;
  env?: string;
  repeatable?: boolean;
}

export const OPTIONS: OptionSpec[] = [
  { flags: '--json', description: 'print one JSON document (JSON Lines for several inputs) and nothing else on stdout', commands: ['explain', 'codes', 'check-mx', 'kb lint'] },
  {
    flags: '-a, --audience <who>',
    description: 'show only the solutions for the sender or for the admin',
    commands: ['explain'],
    choices: ['sender', 'admin', 'all'],
    defaultValue: 'all',
  },
  { flags: '--kb <dir>', description: "load an organisation's extra knowledge-base entries from DIR over the bundled ones", commands: ['explain', 'codes'], env: 'NDR_KB' },
  { flags: '--no-color', description: 'no colour (also off with NO_COLOR or when stdout is not a terminal)', commands: ['*'] },
];

export function optionsFor(command: string): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command) || o.commands.includes('*'));
}
