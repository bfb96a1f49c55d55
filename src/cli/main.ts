import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, reportEnd, type CommandResult } from './exit.js';
import { processIo, writeLine, type CliIo } from './io.js';
import { OPTIONS, optionsFor } from './options.js';
import { sanitize } from '../render/sanitize.js';

type Commander = typeof import('commander');

const EXAMPLES = `
Examples:
  $ ndr explain bounce.eml
  $ ndr explain --json /var/mail/postmaster/bounces/
  $ ndr explain 5.7.1
  $ ndr explain "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
  $ ndr explain --audience admin "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Blocklist 1"
  $ ndr codes 5.7
  $ ndr codes --json relay
  $ ndr check-mx contoso.com
  $ ndr wizard

Exit codes: 0 done (explained, nothing failed, no problem, the wizard ended or
was quit), 1 nothing recognisable (explain, codes), 2 usage error, 3 input error
(also an invalid knowledge base: --kb, kb lint), 4 temporary failure (network,
DNS, --deadline), 5 a check failed (check-mx), 70 internal error, 130
interrupted (Ctrl+C).`;

function addOptions({ Option }: Commander, cmd: Command, name: string): Command {
  for (const spec of optionsFor(name)) {
    const opt = new Option(spec.flags, spec.description + (spec.env ? ` (env ${spec.env})` : ''));
    if (spec.choices) opt.choices(spec.choices);
    if (spec.defaultValue !== undefined) opt.default(spec.defaultValue);
    if (spec.repeatable) opt.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    cmd.addOption(opt);
  }
  return cmd;
}

function buildProgram(commander: Commander, io: CliIo, setResult: (result: CommandResult) => void): Command {
  const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
  const program = new commander.Command('ndr')
    .description('Explain e-mail non-delivery reports (bounces) and what to do about them.')
    .version(version, '-V, --version')
    .addHelpText('after', EXAMPLES)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // commander's own errors are said by main(), as one sanitised `ndr:` line like every other.
      outputError: () => {},
    })
    .exitOverride();

  addOptions(
    commander,
    program
      .command('explain')
      .description('explain a bounce (.eml, a folder of them, an mbox), a code ("5.7.1"), a reply ("550 5.1.10") or pasted NDR text')
      .argument('[input...]', 'files, folders, mbox files, "-" for standard input, or a code, reply line or NDR text'),
    'explain',
  ).action(async (input: string[], opts) => {
    const command = await import('./commands/explain.js');
    setResult(await command.runExplain(input, opts, io));
  });

  addOptions(
    commander,
    program
      .command('codes')
      .description('list or search the knowledge base (by code, id or title)')
      .argument('[query]', 'a code such as 5.7.1, a code prefix such as 5.7, or words'),
    'codes',
  ).action(async (query: string | undefined, opts) => {
    const command = await import('./commands/codes.js');
    setResult(await command.runCodes(query, opts, io));
  });

  addOptions(
    commander,
    program
      .command('wizard')
      .description('answer a few questions and be walked through the fix, one step at a time (the default in a terminal)'),
    'wizard',
  ).action(async (opts) => {
    const command = await import('./commands/wizard.js');
    setResult(await command.runWizard(opts, io));
  });

  addOptions(
    commander,
    program
      .command('check-mx')
      .description("check a domain's MX, SPF, DMARC, DKIM and autodiscover records for Exchange Online")
      .argument('<domain>', 'a domain such as contoso.com (an address or URL also works)')
      .addHelpText(
        'after',
        `
Examples:
  $ ndr check-mx contoso.com
  $ ndr check-mx --json --nameserver 1.1.1.1 --nameserver 8.8.8.8 contoso.com

Exit codes: 0 nothing failed (warnings allowed), 2 usage error,
4 the DNS could not be asked (every query timed out or was refused) or the
overall --deadline was reached, 5 a check failed.`,
      ),
    'check-mx',
  ).action(async (domain: string, opts) => {
    const command = await import('./commands/check-mx.js');
    setResult(await command.runCheckMx(domain, opts, io));
  });

  const kb = program.command('kb').description('work with knowledge-base files');
  addOptions(
    commander,
    kb
      .command('lint')
      .description('validate a knowledge-base directory (default: the bundled one) and print file:line problems')
      .argument('[dir]', 'a directory of knowledge-base YAML files'),
    'kb lint',
  ).action(async (dir: string | undefined, opts) => {
    const command = await import('./commands/kb-lint.js');
    setResult(await command.runKbLint(dir, opts, io));
  });

  program
    .command('completion')
    .description('print a shell completion script for ndr (see README for how to install it)')
    .addArgument(new commander.Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: string) => {
      const command = await import('./commands/completion.js');
      setResult(await command.runCompletion(shell, program, io));
    });

  for (const cmd of [...program.commands, ...kb.commands]) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => {} });
  }
  return program;
}

/**
 * The options commander gives a command when none is on the command line: the
 * defaults of the option table (`--no-x` defaults x to true). test/cli/main.test.ts
 * checks them against commander's own.
 */
export function defaultOptions(command: string): Record<string, string | boolean> {
  const opts: Record<string, string | boolean> = {};
  for (const spec of optionsFor(command)) {
    const [key, set] = flagSetting(spec.flags);
    if (!set) opts[key] = true;
    else if (spec.defaultValue !== undefined) opts[key] = spec.defaultValue;
  }
  return opts;
}

/** The option key and value a flag without a value sets, as commander names them ("--no-color" -> color: false). */
function flagSetting(flags: string): [string, boolean] {
  const long = /--([a-z-]+)/.exec(flags)![1]!;
  const negated = long.startsWith('no-');
  return [(negated ? long.slice(3) : long).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), !negated];
}

/**
 * `ndr explain ARG...` with at most flags that take no value (--json,
 * --check, --no-color) and no "-" for standard input: what commander would
 * hand the command, without loading it; null for anything else. commander
 * (and the node:child_process it requires) is most of what `ndr explain 5.7.1`
 * would otherwise spend on start-up. test/cli/main.test.ts checks it against commander.
 */
export function plainExplain(argv: string[]): { input: string[]; opts: Record<string, string | boolean> } | null {
  if (argv[0] !== 'explain') return null;
  const flags = new Map<string, [string, boolean]>();
  for (const spec of optionsFor('explain'))
    if (!spec.flags.includes('<')) flags.set(/--[a-z-]+/.exec(spec.flags)![0], flagSetting(spec.flags));
  const opts = defaultOptions('explain');
  const input: string[] = [];
  for (const arg of argv.slice(1)) {
    if (!arg.startsWith('-')) {
      input.push(arg);
      continue;
    }
    const setting = flags.get(arg);
    if (!setting) return null;
    opts[setting[0]] = setting[1];
  }
  return input.length ? { input, opts } : null;
}

/**
 * What the real program (its commands, arguments and the option table) makes of
 * `argv` without running a command: the command it would run ("check-mx",
 * "kb lint"), or commander's own complaint. `--help` and `--version` count as
 * valid. test/knowledge/commands.test.ts checks every `ndr ...` command the
 * knowledge base tells a reader to run with it.
 */
export async function parseCommandLine(argv: string[]): Promise<{ command: string } | { error: string }> {
  const commander = await import('commander');
  // Not import(): a file with import() in it goes without its code cache (bin/code-cache.js).
  const { PassThrough } = createRequire(import.meta.url)('node:stream') as typeof import('node:stream');
  const sink = new PassThrough();
  sink.resume();
  const io: CliIo = { stdout: sink, stderr: sink, stdin: new PassThrough(), env: {} };
  const program = buildProgram(commander, io, () => {});
  let command = '';
  const commands = (cmd: Command): Command[] => cmd.commands.flatMap((c) => [c, ...commands(c)]);
  // Only the leaves run: `ndr kb` alone is not a command.
  for (const cmd of commands(program).filter((c) => c.commands.length === 0)) {
    const path = cmd.parent && cmd.parent !== program ? `${cmd.parent.name()} ${cmd.name()}` : cmd.name();
    cmd.action(() => {
      command = path;
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof commander.CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return { command: argv[0] ?? '' };
    return { error: err.message.split('\n')[0]! };
  }
  return command ? { command } : { error: `no command runs for: ${argv.join(' ')}` };
}

const COMMANDS = ['explain', 'codes', 'wizard', 'check-mx', 'kb lint', 'completion'];

/**
 * Options written before the command, as in `ndr --no-color explain 5.7.1`,
 * moved after it, where commander reads a command's options (README: global
 * options go before or after the command). Only when every one of them is an
 * option that command takes; anything else (--help, --version, a typo) is
 * left where it is, for commander to handle.
 */
export function optionsAfterCommand(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  const names: string[] = [];
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-' && argv[i] !== '--') {
    const [name, value] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = OPTIONS.find((o) => o.flags.split(/[ ,]+/).includes(name));
    if (!spec) return argv;
    const takesValue = spec.flags.includes('<');
    if (value !== undefined && !takesValue) return argv;
    if (takesValue && value === undefined) {
      if (i + 1 >= argv.length) return argv;
      leading.push(argv[i]!, argv[i + 1]!);
      i += 2;
    } else {
      leading.push(argv[i]!);
      i += 1;
    }
    names.push(name);
  }
  if (!leading.length) return argv;
  const command = argv[i] === 'kb' ? `kb ${argv[i + 1] ?? ''}` : argv[i];
  if (!command || !COMMANDS.includes(command)) return argv;
  const takes = optionsFor(command);
  if (!names.every((n) => takes.some((o) => o.flags.split(/[ ,]+/).includes(n)))) return argv;
  const words = command.split(' ').length;
  return [...argv.slice(i, i + words), ...leading, ...argv.slice(i + words)];
}

/**
 * Runs ndr with `argv` (without node and script) and returns the exit code.
 * The one exit point: a command's result, or any error it throws (commander's
 * own included), becomes one `ndr:` line and an exit code here (exit.ts).
 */
export async function main(rawArgv: string[], io: CliIo = processIo()): Promise<number> {
  let end: { result: CommandResult } | { error: unknown };
  try {
    end = { result: await runCommand(optionsAfterCommand(rawArgv), io) };
  } catch (error) {
    end = { error };
  }
  return reportEnd(io, end);
}

/** The command `argv` names, run: `ndr explain 5.7.1` without commander (plainExplain), the rest through it. */
async function runCommand(argv: string[], io: CliIo): Promise<CommandResult> {
  const plain = plainExplain(argv);
  if (plain) return (await import('./commands/explain.js')).runExplain(plain.input, plain.opts, io);
  const commander = await import('commander');
  let result: CommandResult = { exit: 'ok' };
  const program = buildProgram(commander, io, (r) => {
    result = r;
  });
  // No arguments: the wizard when a person sits at a terminal, else help (cli-conventions §A6).
  const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY) && !io.env.CI;
  if (argv.length === 0 && !interactive) {
    program.outputHelp({ error: true });
    return { exit: 'usage' };
  }
  await program.parseAsync(argv.length ? argv : ['wizard'], { from: 'user' });
  return result;
}

/**
 * The entry used by bin/ndr.js: sets process.exitCode rather than exiting, so piped output is not cut.
 * A failed write to stdout or stderr decides the exit code: a closed pipe (EPIPE, `| head -1`) ends
 * the run quietly with 0; any other error (ENOSPC, ENOBUFS ...) is one `ndr:` line and exit 3, never
 * 0 with output lost. A batch sees the failed stream and stops (outputPace in io.ts).
 */
export async function run(): Promise<void> {
  let failed: number | undefined;
  const watch = (stream: NodeJS.WriteStream, name: 'stdout' | 'stderr') =>
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (failed !== undefined) return;
      if (err.code === 'EPIPE') {
        // Nobody reads any more: nothing is lost that anyone wanted. A closed stderr alone changes nothing.
        if (name === 'stdout') failed = EXIT.ok;
      } else {
        failed = EXIT.input;
        if (name === 'stdout') writeLine(process.stderr, `ndr: cannot write to standard output (${sanitize(err.code ?? err.message)})`);
      }
      if (failed !== undefined) process.exitCode = failed;
    });
  // stdout is watched from the start (it is always written); stderr when first used.
  const io = processIo(watch);
  void io.stdout;
  const code = await main(process.argv.slice(2), io);
  process.exitCode = failed ?? code;
}
