/**
 * Every `ndr ...` command the knowledge base tells a reader to run must exist:
 * each one is parsed by the real command-line program of src/cli (its commands,
 * arguments and option table), so a step can never name a command or an option
 * that does not exist. Commands are written in backticks; a bare "ndr <word>"
 * in the prose would escape this check, so it fails too.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/main.js';
import { BUNDLED_KB_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { KbEntry } from '../../src/knowledge/types.js';

const kb = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });

/** The prose a reader sees: everything but codes, patterns, sources and examples. */
function proseOf(e: KbEntry): string[] {
  const solutions = [...e.solutions.sender, ...e.solutions.admin].flatMap((s) => [
    s.title,
    ...s.steps.flatMap((step) => (typeof step === 'string' ? [step] : [step.text, ...step.substeps])),
  ]);
  return [e.title, e.summary, ...e.causes, ...solutions, ...(e.history ? [e.history] : [])];
}

/** `ndr ...` spans in backticks, and the text left outside them. */
function commandsIn(text: string): { commands: string[]; outside: string } {
  const commands: string[] = [];
  const outside = text.replace(/`([^`]*)`/g, (_, inner: string) => {
    if (/^ndr(\s|$)/.test(inner.trim())) commands.push(inner.trim());
    return ' ';
  });
  return { commands, outside };
}

/** Shell-like words: "quoted strings", 'quoted strings' and <placeholders, even with spaces> are one argument each. */
function argvOf(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(<[^>]*>)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!).slice(1);
}

const written = kb.entries.flatMap((e) =>
  proseOf(e).flatMap((text) => {
    const { commands, outside } = commandsIn(text);
    return [
      ...commands.map((command) => ({ id: e.id, command })),
      // "ndr" (the tool, lower case; "NDR" is the report) followed by a word outside backticks,
      // not inside a URL, a host name or a path.
      ...[...outside.matchAll(/(?<![\w./@-])ndr\s+[a-z-]+[^.;,)]{0,40}/g)].map((m) => ({ id: e.id, command: `BARE ${m[0]}` })),
    ];
  }),
);

describe('the commands written in the knowledge base', () => {
  it('are there to check (the KB points readers to ndr check-mx)', () => {
    expect(written.filter((w) => w.command.startsWith('ndr check-mx ')).length).toBeGreaterThan(5);
  });

  it('are all written in backticks', () => {
    expect(written.filter((w) => w.command.startsWith('BARE ')).map((w) => `${w.id}: ${w.command.slice(5)}`)).toEqual([]);
  });

  it.each(written.filter((w) => !w.command.startsWith('BARE ')).map((w) => [w.id, w.command] as const))('%s: %s', async (_id, command) => {
    expect(await parseCommandLine(argvOf(command))).toEqual({ command: expect.any(String) });
  });
});

describe('the check itself', () => {
  // Table: a command line and what the real parser must make of it.
  it.each([
    ['ndr check-mx <domain>', 'check-mx'],
    ['ndr check-mx <your domain> --json', 'check-mx'],
    ['ndr explain --check "550 5.7.23 SPF validation failed"', 'explain'],
    ['ndr codes 5.7', 'codes'],
    ['ndr kb lint knowledge', 'kb lint'],
    ['ndr explain --help', 'explain'],
  ])('accepts %s', async (command, name) => {
    expect(await parseCommandLine(argvOf(command))).toEqual({ command: name });
  });

  it.each([
    ['ndr check-mx <domain> --check', /unknown option '--check'/],
    ['ndr check-mx', /missing required argument/],
    ['ndr checkmx <domain>', /unknown command/],
    ['ndr explain --audience boss 5.7.1', /invalid/],
    ['ndr kb', /.+/],
  ])('rejects %s', async (command, message) => {
    const result = await parseCommandLine(argvOf(command));
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });

  it('finds commands in backticks and bare ones outside', () => {
    expect(commandsIn('Run `ndr check-mx <domain>` (or `dig mx`), then ndr codes 5.7.')).toEqual({
      commands: ['ndr check-mx <domain>'],
      outside: 'Run   (or  ), then ndr codes 5.7.',
    });
    expect(argvOf('ndr check-mx <your domain> --json "a b"')).toEqual(['check-mx', '<your domain>', '--json', 'a b']);
  });
});
