import { closeSync, openSync, readSync } from 'node:fs';
import { MboxSplitter } from '../bounce/mbox.js';
import { InputError, NotAMessageError } from '../core/errors.js';
import type { Item } from './types.js';

/**
 * Chunks an mbox file is read in: one message at a time is held, never the whole mailbox.
 * Below V8's large-object size (128 KiB): each chunk's text then lives and dies in the young
 * generation; 1 MiB chunks went to the large-object space and took ~3 ms a chunk to decode and scan.
 */
const MBOX_CHUNK_BYTES = 64 * 1024;

/**
 * Reads an mbox file in chunks and yields its messages as they complete.
 * Blocking reads, like openFile's: a batch works on one file at a time, and a
 * read stream's trips through the thread pool left the process idle.
 */
export function* streamMbox(path: string, size: number): Generator<Item> {
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
  const cannotRead = (e: unknown): Item => ({
    kind: 'error',
    file: path,
    message: null,
    error: new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`),
  });
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
  if (count === 0)
    yield { kind: 'error', file: path, message: null, error: new NotAMessageError(`${path}: an mbox file without messages`) };
  else if (count === 1) yield { kind: 'message', file: path, message: null, bytes: first! };
}
