/**
 * The messages of one source (a file, standard input or pasted text), read
 * and cut up: an mbox into its messages, saved text explained as text,
 * binary data and Outlook .msg files refused, each with the same limits.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { SNIFF_BYTES, sniffContent, utf16ToUtf8, type ContentKind } from '../bounce/bytes.js';
import { splitMbox } from '../bounce/mbox.js';
import { InputError, InputTooLargeError, NotAMessageError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { streamMbox } from './mbox-file.js';
import { openFile, readFileBounded, readHead, readStream, type OpenedFile } from './read.js';
import type { Item, Source } from './types.js';

/**
 * In a folder, files named like messages are reported on even when they are
 * not one; other files are looked at and skipped unless they hold a message
 * (maildir names have no useful extension).
 */
const MESSAGE_EXTENSIONS = new Set(['.eml', '.msg', '.mbox', '.mbx']);

/** The bytes of one source, cut into the messages it holds (all held at once; see readItems). */
export async function readSource(source: Source, io: Pick<CliIo, 'stdin'>, maxBytes: number): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of readItems(source, io, maxBytes)) items.push(item);
  return items;
}

/**
 * The messages of one source, one at a time: an mbox file is read in chunks
 * and split as it is read, so memory stays flat however large the mailbox.
 */
export async function* readItems(source: Source, io: Pick<CliIo, 'stdin'>, maxBytes: number): AsyncGenerator<Item> {
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
async function readRegularFile(
  source: Extract<Source, { type: 'file' }>,
  size: number,
  maxBytes: number,
): Promise<Iterable<Item> | AsyncIterable<Item>> {
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

async function readWhole(source: Source, io: Pick<CliIo, 'stdin'>, maxBytes: number): Promise<Item[]> {
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
