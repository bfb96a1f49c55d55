import type { Argument, Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import {
  completionScript,
  SHELLS,
  valueKind,
  type CompletionCommand,
  type CompletionOption,
  type CompletionSpec,
  type Shell,
  type ValueKind,
} from '../completion.js';
import type { CommandResult } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';

function option(o: Option): CompletionOption {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? null;
  return { short: o.short ?? null, long: o.long!, description: o.description, value: valueKind(placeholder, o.argChoices) };
}

function args(list: readonly Argument[]): ValueKind {
  const first = list[0];
  return first ? valueKind(first.name(), first.argChoices) : { kind: 'none' };
}

function command(cmd: Command, name: string): CompletionCommand {
  return {
    name,
    description: cmd.description(),
    options: cmd.options.filter((o) => o.long).map(option),
    args: args(cmd.registeredArguments),
  };
}

/**
 * What commander was given: every command and subcommand with its options
 * (from the option table) and arguments, plus the program's own options.
 */
export function completionSpec(program: Command): CompletionSpec {
  const commands: CompletionCommand[] = [];
  for (const cmd of program.commands) {
    if (cmd.commands.length) for (const sub of cmd.commands) commands.push(command(sub, `${cmd.name()} ${sub.name()}`));
    else commands.push(command(cmd, cmd.name()));
  }
  const help: CompletionOption = { short: '-h', long: '--help', description: 'show help', value: { kind: 'none' } };
  return { program: program.name(), options: [...program.options.filter((o) => o.long).map(option), help], commands };
}

export async function runCompletion(shell: string, program: Command, io: CliIo): Promise<CommandResult> {
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`completion: the shell must be one of ${SHELLS.join(', ')}, got "${shell.slice(0, 40)}"`);
  writeLine(io.stdout, completionScript(shell as Shell, completionSpec(program)));
  return { exit: 'ok' };
}
