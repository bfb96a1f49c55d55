/**
 * What `ndr explain` was given: pasted text, or messages from files, folders,
 * mbox files and standard input. Each argument is a path when it exists (or
 * looks like a message file name), "-" is standard input, anything else is
 * text, so `ndr explain 5.7.1` and `ndr explain 550 5.1.10 ...` work as before.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import type { FolderCut, Plan, Source } from './types.js';

/** File names that say "a saved message", so a typo gets "no such file" rather than a text explanation. */
const MESSAGE_NAME = /\.(?:eml|msg|mbox|mbx|mail|txt)$/i;
const MAX_FOLDER_FILES = 100_000;

/**
 * The files under `dir`, in name order, at most MAX_FOLDER_FILES of them (the
 * rest are counted, for the note that says so). A folder or entry that cannot
 * be read is an error source in its place, and the walk goes on.
 */
function walk(dir: string, out: Source[], count: { files: number }): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    out.push({ type: 'error', path: dir, error: new InputError(`${dir}: cannot read folder (${errnoName(e)})`) });
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path, { throwIfNoEntry: false });
    } catch (e) {
      out.push({ type: 'error', path, error: new InputError(`${path}: cannot read (${errnoName(e)})`) });
      continue;
    }
    // Symbolic links are not followed inside folders (no loops, no escaping the tree).
    if (!st || st.isSymbolicLink()) continue;
    if (st.isDirectory()) walk(path, out, count);
    else if (st.isFile() && ++count.files <= MAX_FOLDER_FILES) out.push({ type: 'file', path, fromFolder: true, size: st.size });
  }
}

/** A name that exists as a symbolic link, whatever it points to (existsSync follows links). */
function linkExists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;
  } catch {
    return false; // e.g. ENAMETOOLONG: pasted text, not a path
  }
}

/** Why a symbolic link given as an argument cannot be read (existsSync said no). */
function brokenLink(path: string): string {
  try {
    statSync(path);
    return 'cannot open';
  } catch (e) {
    const code = errnoName(e);
    if (code === 'ELOOP') return 'a symbolic link that loops (ELOOP: it leads back to itself)';
    if (code === 'ENOENT') return `a symbolic link to ${readlinkSync(path)}, which does not exist`;
    return `cannot open (${code})`;
  }
}

const NOT_UTF8_NAME =
  'the file name is not valid UTF-8 (shown here with \ufffd), so ndr cannot open it by name; rename it, or give it on standard input: ndr explain - < FILE';

/**
 * An argument that names a file whose name is not UTF-8: the system hands
 * such bytes to Node as U+FFFD, so the name as given no longer exists. True
 * when the folder holds a name that is not UTF-8 and reads as this one.
 */
function notUtf8Name(arg: string): boolean {
  if (!arg.includes('\ufffd')) return false;
  try {
    const base = basename(arg);
    return readdirSync(dirname(arg), { encoding: 'buffer' }).some((name) => !isUtf8(name) && name.toString('utf8') === base);
  } catch {
    return false;
  }
}

const errnoName = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export function planInputs(args: string[], io: Pick<CliIo, 'stdin'>): Plan {
  if (args.length === 0) {
    if (io.stdin.isTTY)
      throw new UsageError('explain needs a code, NDR text, a message file or "-" for standard input (see ndr explain --help)');
    return { text: null, sources: [{ type: 'stdin' }], batch: false, cuts: [] };
  }
  const isPathLike = (a: string) => a === '-' || existsSync(a) || MESSAGE_NAME.test(a) || linkExists(a) || notUtf8Name(a);
  if (!args.some(isPathLike)) return { text: args.join(' '), sources: [], batch: false, cuts: [] };

  const sources: Source[] = [];
  const cuts: FolderCut[] = [];
  let folder = false;
  for (const arg of args) {
    if (arg === '-') sources.push({ type: 'stdin' });
    else if (existsSync(arg)) {
      if (statSync(arg).isDirectory()) {
        folder = true;
        const count = { files: 0 };
        walk(arg, sources, count);
        if (count.files > MAX_FOLDER_FILES)
          cuts.push({ folder: arg, limit: MAX_FOLDER_FILES, files: count.files, leftOut: count.files - MAX_FOLDER_FILES });
      } else {
        sources.push({ type: 'file', path: arg, fromFolder: false });
      }
    } else if (linkExists(arg)) sources.push({ type: 'error', path: arg, error: new InputError(`${arg}: ${brokenLink(arg)}`) });
    else if (notUtf8Name(arg)) sources.push({ type: 'error', path: arg, error: new InputError(`${arg}: ${NOT_UTF8_NAME}`) });
    else if (MESSAGE_NAME.test(arg)) sources.push({ type: 'missing', path: arg });
    else sources.push({ type: 'text', text: arg });
  }
  if (sources.filter((s) => s.type === 'stdin').length > 1) throw new UsageError('"-" (standard input) can be given only once');
  return { text: null, sources, batch: folder || sources.length > 1, cuts };
}
