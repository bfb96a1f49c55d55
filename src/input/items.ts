/**
 * What `ndr explain` was given: pasted text, or messages from files, folders,
 * mbox files and standard input. Each argument is a path when it exists (or
 * looks like a message file name), "-" is standard input, anything else is
 * text, so `ndr explain 5.7.1` and `ndr explain 550 5.1.10 ...` work as before.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { SNIFF_BYTES, sniffContent, utf16ToUtf8, type ContentKind } from '../bounce/bytes.js';
import { MboxSplitter, splitMbox } from '../bounce/mbox.js';
import { InputError, InputTooLargeError, NotAMessageError, UsageError } from '../core/errors.js';
import type { CliIo } from './io.js';
import { openFile, readFileBounded, readHead, readStream, type OpenedFile } from './read-input.js';

export type Source =
  | { type: 'stdin' }
  | { type: 'file'; path: string; fromFolder: boolean; /** Known from the folder walk: a regular file of this size. */ size?: number }
  | { type: 'missing'; path: string }
  /** Found by a folder walk but not readable (the folder, or the entry's own metadata). */
  | { type: 'error'; path: string; error: InputError }
  | { type: 'text'; text: string };

export interface Plan {
  /** All arguments are text: explain them joined, exactly as before files were supported. */
  text: string | null;
  sources: Source[];
  /** Several inputs (or a folder): JSON Lines and a summary. */
  batch: boolean;
  /** Folders with more files than ndr reads in one run: said in the output (never a silent cap). */
  cuts: FolderCut[];
}

export type Item =
  | { kind: 'message'; file: string; message: number | null; bytes: Buffer; /** sniffContent(bytes) said 'message' (parseBounce need not ask again). */ sniffed?: boolean }
  | { kind: 'text'; file: string | null; text: string }
  | { kind: 'error'; file: string; message: number | null; error: InputError };

/** File names that say "a saved message", so a typo gets "no such file" rather than a text explanation. */
const MESSAGE_NAME = /\.(?:eml|msg|mbox|mbx|mail|txt)$/i;
/** In a folder, files named like messages are reported on even when they are not one; other files are looked at and skipped unless they hold a message (maildir names have no useful extension). */
const MESSAGE_EXTENSIONS = new Set(['.eml', '.msg', '.mbox', '.mbx']);
const MAX_FOLDER_FILES = 100_000;
/** Chunks an mbox file is read in: one message at a time is held, never the whole mailbox. */
const MBOX_CHUNK_BYTES = 1024 * 1024;

/** A folder with more files than MAX_FOLDER_FILES: how many were found and left out. */
export interface FolderCut {
  folder: string;
  limit: number;
  files: number;
  leftOut: number;
}

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

const NOT_UTF8_NAME = 'the file name is not valid UTF-8 (shown here with \ufffd), so ndr cannot open it by name; rename it, or give it on standard input: ndr explain - < FILE';

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

export function planInputs(args: string[], io: CliIo): Plan {
  if (args.length === 0) {
    if (io.stdin.isTTY) throw new UsageError('explain needs a code, NDR text, a message file or "-" for standard input (see ndr explain --help)');
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
        if (count.files > MAX_FOLDER_FILES) cuts.push({ folder: arg, limit: MAX_FOLDER_FILES, files: count.files, leftOut: count.files - MAX_FOLDER_FILES });
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

/** The bytes of one source, cut into the messages it holds (all held at once; see readItems). */
export async function readSource(source: Source, io: CliIo, maxBytes: number): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of readItems(source, io, maxBytes)) items.push(item);
  return items;
}

/**
 * The messages of one source, one at a time: an mbox file is read in chunks
 * and split as it is read, so memory stays flat however large the mailbox.
 */
export async function* readItems(source: Source, io: CliIo, maxBytes: number): AsyncGenerator<Item> {
  if (source.type === 'file') {
    // A file from a folder walk was seen there (lstat, no links followed); no need to ask again.
    const size = source.size ?? regularFileSize(source.path);
    if (size !== null) {
      yield* await readRegularFile(source, size, maxBytes);
      return;
    }
  }
  yield* await readWhole(source, io, maxBytes);
}

function regularFileSize(path: string): number | null {
  const st = statSync(path, { throwIfNoEntry: false });
  return st?.isFile() ? st.size : null;
}

/**
 * A regular file, opened and read once: the head says what it is (an mbox is
 * streamed instead; in a folder, a file that is no message is skipped), and
 * the rest is read from the same handle. Same results as readWhole.
 */
async function readRegularFile(source: Extract<Source, { type: 'file' }>, size: number, maxBytes: number): Promise<Iterable<Item> | AsyncIterable<Item>> {
  const file = source.path;
  const fail = (error: InputError): Item[] => [{ kind: 'error', file, message: null, error }];
  const sniffFirst = source.fromFolder && !MESSAGE_EXTENSIONS.has(extname(file).toLowerCase());
  // An empty file in a folder, not named like a message, holds no message: no need to open it.
  if (sniffFirst && size === 0) return [];
  let opened: OpenedFile;
  try {
    opened = await openFile(file, size, SNIFF_BYTES);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Unreadable: it may be a message, so it is reported (and the batch goes on).
    return fail(e);
  }
  try {
    // UTF-16 text (Windows "Unicode") is looked at, and later read, as UTF-8.
    const headUtf8 = utf16ToUtf8(opened.head);
    const kind = sniffContent(headUtf8 ?? opened.head);
    // An mbox is streamed (from its own stream), never held whole.
    if (kind === 'mbox' && !headUtf8 && size <= maxBytes) return streamMbox(file, size);
    if (sniffFirst && kind !== 'message' && kind !== 'mbox') return [];
    if (size > maxBytes) return fail(new InputTooLargeError(`${file}: larger than ${maxBytes} bytes (see --max-size)`));
    // Known from the first bytes: the rest of binary data is not read (a 1 GB file stops here).
    if (kind === 'binary' || kind === 'outlook-msg') return itemsOf(opened.head, file, file, source.fromFolder, kind);
    let bytes: Buffer;
    try {
      bytes = await opened.readAll();
    } catch (e) {
      if (e instanceof InputError) return fail(e);
      throw e;
    }
    // The sniffers read only the first SNIFF_BYTES, so the head's answer stands (but "empty" may hide more).
    if (headUtf8) return itemsOf(bytes, file, file, source.fromFolder);
    return itemsOf(bytes, file, file, source.fromFolder, kind !== 'empty' || bytes.length === opened.head.length ? kind : undefined);
  } finally {
    await opened.close();
  }
}

/**
 * Reads an mbox file in chunks and yields its messages as they complete.
 * Blocking reads, like openFile's: a batch works on one file at a time, and a
 * read stream's trips through the thread pool left the process idle.
 */
function* streamMbox(path: string, size: number): Generator<Item> {
  const splitter = new MboxSplitter();
  // A message is numbered only when the mailbox holds more than one, so the first waits for the second.
  let first: Buffer | null = null;
  let count = 0;
  const numbered = function* (messages: Buffer[]): Generator<Item> {
    for (const bytes of messages) {
      count++;
      if (count === 1) first = bytes;
      else {
        if (first) yield { kind: 'message', file: path, message: 1, bytes: first };
        first = null;
        yield { kind: 'message', file: path, message: count, bytes };
      }
    }
  };
  const cannotRead = (e: unknown): Item => ({ kind: 'error', file: path, message: null, error: new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) });
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    yield cannotRead(e);
    return;
  }
  // One buffer, reused: the splitter copies what it keeps. Sized to the file when that is smaller.
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(MBOX_CHUNK_BYTES, size + 1)));
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        yield cannotRead(e);
        return;
      }
      if (got === 0) break;
      yield* numbered(splitter.push(chunk.subarray(0, got)));
    }
  } finally {
    closeSync(fd);
  }
  yield* numbered(splitter.end());
  if (count === 0) yield { kind: 'error', file: path, message: null, error: new NotAMessageError(`${path}: an mbox file without messages`) };
  else if (count === 1) yield { kind: 'message', file: path, message: null, bytes: first! };
}

async function readWhole(source: Source, io: CliIo, maxBytes: number): Promise<Item[]> {
  if (source.type === 'text') return [{ kind: 'text', file: null, text: source.text }];
  const file = source.type === 'stdin' ? '-' : source.path;
  const fail = (error: InputError): Item[] => [{ kind: 'error', file, message: null, error }];
  if (source.type === 'missing') return fail(new InputError(`${source.path}: no such file`));
  if (source.type === 'error') return fail(source.error);
  const inFolder = source.type === 'file' && source.fromFolder;
  const namedLikeMessage = MESSAGE_EXTENSIONS.has(extname(file).toLowerCase());
  if (inFolder && !namedLikeMessage) {
    const kind = sniffContent(await readHead(file, SNIFF_BYTES));
    if (kind !== 'message' && kind !== 'mbox') return [];
  }
  let bytes: Buffer;
  try {
    bytes = source.type === 'stdin' ? await readStream(io.stdin, maxBytes) : await readFileBounded(source.path, maxBytes);
  } catch (e) {
    if (e instanceof InputError) return fail(e);
    throw e;
  }
  return itemsOf(bytes, file, source.type === 'stdin' ? 'standard input' : source.path, inFolder);
}

/** The items of a whole input, by what its bytes are. */
function itemsOf(raw: Buffer, file: string, name: string, inFolder: boolean, sniffed?: ContentKind): Item[] {
  const fail = (error: InputError): Item[] => [{ kind: 'error', file, message: null, error }];
  // Not sniffed yet: UTF-16 text is made UTF-8 first (else its zero bytes would read as binary).
  const bytes = (sniffed === undefined ? utf16ToUtf8(raw) : null) ?? raw;
  const kind = sniffed ?? sniffContent(bytes);
  switch (kind) {
    case 'empty':
      return fail(new InputError(`${name}: empty, nothing to explain`));
    case 'binary':
      return fail(new NotAMessageError(`${name}: binary data, not an e-mail message`));
    case 'outlook-msg':
      return fail(new NotAMessageError(`${name}: an Outlook .msg file; save the message as .eml (or paste its text) and try again`));
    case 'mbox': {
      const messages = splitMbox(bytes);
      if (!messages.length) return fail(new NotAMessageError(`${name}: an mbox file without messages`));
      return messages.map((m, i) => ({ kind: 'message', file, message: messages.length > 1 ? i + 1 : null, bytes: m }));
    }
    case 'message':
      return [{ kind: 'message', file, message: null, bytes, sniffed: true }];
    default:
      // Pasted NDR text saved to a file (or piped in) is explained as text; in a folder,
      // only files named like messages are reported, other text files are skipped.
      if (inFolder) return fail(new NotAMessageError(`${name}: not an e-mail message`));
      return [{ kind: 'text', file, text: bytes.toString('utf8') }];
  }
}
