/**
 * Shell completion scripts for `ndr completion bash|zsh|fish`. The scripts
 * are generated from the commands and options commander is given (which the
 * option table in options.ts feeds), so they cannot drift from what the
 * parser accepts. Pure: text in, text out.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What may follow an option or stand as an argument. */
export type ValueKind = { kind: 'none' } | { kind: 'choices'; values: string[] } | { kind: 'file' } | { kind: 'dir' } | { kind: 'text' };

export interface CompletionOption {
  /** "-a", or null. */
  short: string | null;
  /** "--audience". */
  long: string;
  description: string;
  /** kind 'none': a flag without a value. */
  value: ValueKind;
}

export interface CompletionCommand {
  /** "explain", or "kb lint" for a subcommand. */
  name: string;
  description: string;
  options: CompletionOption[];
  /** What the positional arguments are. */
  args: ValueKind;
}

export interface CompletionSpec {
  program: string;
  /** Options before any command (--version, --help, global ones). */
  options: CompletionOption[];
  commands: CompletionCommand[];
}

/** The kind of an option's value from its placeholder: "<dir>" a folder, "<path>" a file, choices a list. */
export function valueKind(placeholder: string | null, choices: readonly string[] | undefined): ValueKind {
  if (choices?.length) return { kind: 'choices', values: [...choices] };
  if (placeholder === null) return { kind: 'none' };
  if (/^(dir|folder)$/i.test(placeholder)) return { kind: 'dir' };
  if (/^(path|file|input)$/i.test(placeholder)) return { kind: 'file' };
  return { kind: 'text' };
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bashScript(spec);
    case 'zsh':
      return zshScript(spec);
    case 'fish':
      return fishScript(spec);
  }
}

/** Text inside single quotes, for any POSIX shell, zsh and fish: no newlines, ' closed and escaped. */
function sq(text: string): string {
  return `'${text.replace(/\s+/g, ' ').replace(/'/g, `'\\''`)}'`;
}

const flagsOf = (o: CompletionOption) => [...(o.short ? [o.short] : []), o.long];
const topLevel = (spec: CompletionSpec) => [...new Set(spec.commands.map((c) => c.name.split(' ')[0]!))];

// ---------------------------------------------------------------------------
// bash: one function; COMP_WORDS gives the words, compgen the matches.

function bashValue(v: ValueKind): string {
  switch (v.kind) {
    case 'choices':
      return `COMPREPLY=( $(compgen -W ${sq(v.values.join(' '))} -- "$cur") )`;
    case 'file':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )';
    case 'dir':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") )';
    case 'text':
    case 'none':
      return 'COMPREPLY=()';
  }
}

function bashScript(spec: CompletionSpec): string {
  const p = spec.program;
  const fn = `_${p.replace(/[^A-Za-z0-9_]/g, '_')}_completion`;
  const allOptions = [...spec.options, ...spec.commands.flatMap((c) => c.options)];
  const valued = [...new Set(allOptions.filter((o) => o.value.kind !== 'none').flatMap(flagsOf))];
  // An option's value, by the option before the cursor (the same option means the same value everywhere).
  const byLong = new Map<string, CompletionOption>();
  for (const o of allOptions) if (o.value.kind !== 'none' && !byLong.has(o.long)) byLong.set(o.long, o);
  const valueCases = [...byLong.values()].map((o) => `    ${flagsOf(o).join('|')}) ${bashValue(o.value)}; return 0 ;;`);
  const subcommands = spec.commands.filter((c) => c.name.includes(' '));
  const commandCases = spec.commands.map((c) => {
    const opts = [...c.options.flatMap(flagsOf), '--help'].join(' ');
    return `    ${sq(c.name)})
      if [[ $cur == -* ]]; then COMPREPLY=( $(compgen -W ${sq(opts)} -- "$cur") ); else ${bashValue(c.args)}; fi ;;`;
  });
  const parents = [...new Set(subcommands.map((c) => c.name.split(' ')[0]!))].map((parent) => {
    const subs = subcommands.filter((c) => c.name.startsWith(`${parent} `)).map((c) => c.name.split(' ')[1]!);
    return `    ${sq(parent)}) COMPREPLY=( $(compgen -W ${sq([...subs, '--help'].join(' '))} -- "$cur") ) ;;`;
  });
  return `# ${p} completion for bash. Load it in this shell with
#   source <(${p} completion bash)
# or for every shell: ${p} completion bash > ~/.local/share/bash-completion/completions/${p}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" word i skip=0
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # The command (and subcommand) so far: words that are not options nor option values.
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    if (( skip )); then skip=0; continue; fi
    case "$word" in
      ${valued.length ? valued.join('|') : '__none__'}) skip=1 ;;
      -*) ;;
      *)
        if [[ -z $cmd ]]; then cmd="$word"
        elif [[ $cmd != *" "* && ${sq(`|${subcommands.map((c) => c.name).join('|')}|`)} == *"|$cmd $word|"* ]]; then cmd="$cmd $word"
        fi ;;
    esac
  done
  case "$prev" in
${valueCases.join('\n')}
  esac
  case "$cmd" in
    '')
      COMPREPLY=( $(compgen -W ${sq([...topLevel(spec), ...spec.options.flatMap(flagsOf)].join(' '))} -- "$cur") ) ;;
${commandCases.join('\n')}
${parents.join('\n')}
    *) COMPREPLY=() ;;
  esac
  return 0
}
complete -F ${fn} ${p}
`;
}

// ---------------------------------------------------------------------------
// zsh: _arguments per command.

function zq(text: string): string {
  // Inside an _arguments description: brackets and colons are syntax.
  return text.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:');
}

function zshValue(v: ValueKind, what: string): string {
  switch (v.kind) {
    case 'choices':
      return `:${what}:(${v.values.join(' ')})`;
    case 'file':
      return `:${what}:_files`;
    case 'dir':
      return `:${what}:_files -/`;
    case 'text':
      return `:${what}: `;
    case 'none':
      return '';
  }
}

function zshOption(o: CompletionOption): string[] {
  const what = o.long.replace(/^--/, '');
  const tail = `[${zq(o.description)}]${zshValue(o.value, what)}`;
  if (!o.short) return [sq(`${o.long}${tail}`)];
  const excl = `(${o.short} ${o.long})`;
  return [sq(`${excl}${o.short}${tail}`), sq(`${excl}${o.long}${tail}`)];
}

function zshArgs(v: ValueKind): string[] {
  return v.kind === 'none' ? [] : [sq(`*${zshValue(v, 'argument')}`)];
}

function zshScript(spec: CompletionSpec): string {
  const p = spec.program;
  const fn = `_${p.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const described = (list: { name: string; description: string }[]) =>
    list.map((c) => `    ${sq(`${c.name.replace(/:/g, '\\:')}:${c.description}`)}`).join('\n');
  const tops = topLevel(spec).map((name) => spec.commands.find((c) => c.name === name) ?? { name, description: `${name} commands` });
  const plain = spec.commands.filter((c) => !c.name.includes(' '));
  const subs = spec.commands.filter((c) => c.name.includes(' '));
  const parentNames = [...new Set(subs.map((c) => c.name.split(' ')[0]!))];
  const cases = plain.map(
    (c) =>
      `      (${c.name}) _arguments -s ${[...c.options.flatMap(zshOption), sq('(- *)--help[show help]'), ...zshArgs(c.args)].join(' ')} ;;`,
  );
  const parentCases = parentNames.map((parent) => {
    const mine = subs.filter((c) => c.name.startsWith(`${parent} `));
    const inner = mine.map(
      (c) =>
        `          (${c.name.split(' ')[1]}) _arguments -s ${[...c.options.flatMap(zshOption), sq('(- *)--help[show help]'), ...zshArgs(c.args)].join(' ')} ;;`,
    );
    return `      (${parent})
        local -a subcommands
        subcommands=(
${described(mine.map((c) => ({ name: c.name.split(' ')[1]!, description: c.description })))}
        )
        if (( CURRENT == 2 )); then
          _describe -t commands ${sq(`${p} ${parent} command`)} subcommands
        else
          shift words; (( CURRENT-- ))
          case $words[1] in
${inner.join('\n')}
          esac
        fi ;;`;
  });
  return `#compdef ${p}
# ${p} completion for zsh. Load it in this shell with
#   source <(${p} completion zsh)
# or for every shell: ${p} completion zsh > "\${fpath[1]}/_${p}" (a directory on $fpath), then compinit.
${fn}() {
  local -a commands
  commands=(
${described(tops)}
  )
  local curcontext="$curcontext" state line
  _arguments -C -s ${spec.options.flatMap(zshOption).join(' ')} '1: :->command' '*:: :->args'
  case $state in
    (command) _describe -t commands ${sq(`${p} command`)} commands ;;
    (args)
      case $words[1] in
${cases.join('\n')}
${parentCases.join('\n')}
      esac ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${p}
fi
`;
}

// ---------------------------------------------------------------------------
// fish: one `complete` line per command and option.

function fishValue(v: ValueKind): string {
  switch (v.kind) {
    case 'choices':
      return ` -x -a ${sq(v.values.join(' '))}`;
    case 'file':
      return ' -r -F';
    case 'dir':
      return ` -x -a ${sq('(__fish_complete_directories)')}`;
    case 'text':
      return ' -x';
    case 'none':
      return '';
  }
}

function fishOption(o: CompletionOption, condition: string): string {
  const short = o.short ? ` -s ${o.short.slice(1)}` : '';
  return `complete -c ${condition}${short} -l ${o.long.slice(2)}${fishValue(o.value)} -d ${sq(o.description)}`;
}

function fishScript(spec: CompletionSpec): string {
  const p = spec.program;
  const tops = topLevel(spec);
  const lines = [
    `# ${p} completion for fish. Load it in this shell with`,
    `#   ${p} completion fish | source`,
    `# or for every shell: ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
  ];
  const noCommand = `${p} -n ${sq(`not __fish_seen_subcommand_from ${tops.join(' ')}`)}`;
  for (const o of spec.options) lines.push(fishOption(o, noCommand));
  for (const name of tops) {
    const c = spec.commands.find((x) => x.name === name);
    lines.push(`complete -c ${noCommand} -a ${name} -d ${sq(c?.description ?? `${name} commands`)}`);
  }
  for (const c of spec.commands) {
    const [parent, sub] = c.name.split(' ') as [string, string | undefined];
    if (sub) {
      const siblings = spec.commands.filter((x) => x.name.startsWith(`${parent} `)).map((x) => x.name.split(' ')[1]!);
      lines.push(
        `complete -c ${p} -n ${sq(`__fish_seen_subcommand_from ${parent}; and not __fish_seen_subcommand_from ${siblings.join(' ')}`)} -a ${sub} -d ${sq(c.description)}`,
      );
    }
    const condition = `${p} -n ${sq(sub ? `__fish_seen_subcommand_from ${parent}; and __fish_seen_subcommand_from ${sub}` : `__fish_seen_subcommand_from ${parent}`)}`;
    for (const o of c.options) lines.push(fishOption(o, condition));
    if (c.args.kind === 'file') lines.push(`complete -c ${condition} -F`);
    else if (c.args.kind !== 'none' && c.args.kind !== 'text') lines.push(`complete -c ${condition}${fishValue(c.args)}`);
  }
  return `${lines.join('\n')}\n`;
}
