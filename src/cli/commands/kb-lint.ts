import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatKbProblems, UsageError } from '../../core/errors.js';
import { BUNDLED_KB_DIR, kbFiles, readEntries } from '../../knowledge/load.js';
import { crossCheck, type Problem } from '../../knowledge/validate.js';
import { kbLintJson } from '../../render/kb-lint-json.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { makeContext, type GlobalOptions } from '../context.js';
import type { CommandResult } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';

/**
 * `ndr kb lint [DIR]`: validates a knowledge-base directory the way the loader
 * does (schema, unknown keys, unsafe patterns, duplicate ids, two defaults for
 * one code, dangling `see` links) and prints every problem as file:line.
 */
export async function runKbLint(dir: string | undefined, opts: GlobalOptions, io: CliIo): Promise<CommandResult> {
  const ctx = await makeContext(io, { json: opts.json, color: opts.color });
  const target = resolve(dir ?? BUNDLED_KB_DIR);
  if (!existsSync(target) || !statSync(target).isDirectory()) throw new UsageError(`${dir}: not a directory`);
  const files = kbFiles(target);
  const problems: Problem[] = [];
  const entries = readEntries(files, join(target, '..'), problems);
  crossCheck(entries, problems);
  const summary = `${files.length} file(s), ${entries.length} valid entries, ${problems.length} problem(s)`;
  if (ctx.json) writeLine(io.stdout, safeJson(kbLintJson(target, files.length, entries.length, problems), 2));
  else {
    for (const line of formatKbProblems(problems)) writeLine(io.stdout, sanitize(line));
    if (!problems.length) writeLine(io.stdout, summary);
  }
  // Problems make it an invalid knowledge base, as --kb would refuse it: exit 3, the count on stderr (text only).
  if (!problems.length) return { exit: 'ok' };
  return ctx.json ? { exit: 'input' } : { exit: 'input', message: summary };
}
