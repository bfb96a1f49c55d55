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
  {
    flags: '--json',
    description: 'print one JSON document (JSON Lines for several inputs) and nothing else on stdout',
    commands: ['explain', 'codes', 'check-mx', 'kb lint'],
  },
  {
    flags: '-a, --audience <who>',
    description: 'show only the solutions for the sender or for the admin',
    commands: ['explain', 'wizard'],
    choices: ['sender', 'admin', 'all'],
    defaultValue: 'all',
  },
  {
    flags: '--full',
    description:
      "explain: everything, not the focused answer: every cause and every solution's steps, the entry's history, the code's standard (RFC) meaning, sources and all of the message's details",
    commands: ['explain'],
  },
  {
    flags: '--kb <dir>',
    description: "load an organisation's extra knowledge-base entries from DIR over the bundled ones",
    commands: ['explain', 'codes', 'wizard'],
    env: 'NDR_KB',
  },
  {
    flags: '--max-size <bytes>',
    description: 'refuse input files and standard input larger than this (default 25M; suffixes k, M, G)',
    commands: ['explain'],
  },
  { flags: '--file <path>', description: 'wizard: start from this saved bounce (.eml, or .txt with its text)', commands: ['wizard'] },
  { flags: '--code <code>', description: 'wizard: start from this code or reply, such as 5.1.10 or "550 5.1.10"', commands: ['wizard'] },
  {
    flags: '--check',
    description: "explain: run the related DNS checks (ndr check-mx) for the finding's domain right away",
    commands: ['explain'],
  },
  {
    flags: '--nameserver <ip[:port]>',
    description: "check-mx, explain --check, the wizard's checks: ask this DNS server (repeat for several; default: /etc/resolv.conf)",
    commands: ['check-mx', 'explain', 'wizard'],
    repeatable: true,
  },
  {
    flags: '--timeout <seconds>',
    description:
      "check-mx, explain --check, the wizard's checks: wait this long for each DNS answer before trying the next server (default: resolv.conf's timeout, else 2.5)",
    commands: ['check-mx', 'explain', 'wizard'],
  },
  {
    flags: '--deadline <seconds>',
    description:
      "check-mx, explain --check, the wizard's checks: stop every DNS lookup after this long in all and report what was found (default: 30)",
    commands: ['check-mx', 'explain', 'wizard'],
  },
  { flags: '--no-color', description: 'no colour (also off with NO_COLOR or when stdout is not a terminal)', commands: ['*'] },
];

export function optionsFor(command: string): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command) || o.commands.includes('*'));
}
