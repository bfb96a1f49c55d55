/** Reading bytes from the world: a file, a stream, the head of a file, each within a size limit. */
import { closeSync, openSync, promises as fsp, readFileSync, readSync } from 'node:fs';
import { InputError, InputTooLargeError } from '../core/errors.js';
import { DEFAULT_MAX_BYTES } from './size.js';

/** Reads a stream to bytes, stopping with InputTooLargeError past `maxBytes`. */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes = DEFAULT_MAX_BYTES, name = 'standard input'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > maxBytes) throw new InputTooLargeError(`${name}: larger than ${maxBytes} bytes (see --max-size)`);
      chunks.push(buf);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${name}: cannot read (${(e as Error).message})`);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a file as bytes. A regular file larger than `maxBytes` is refused
 * before it is read; anything else (a FIFO, a device) is read with the cap.
 */
export async function readFileBounded(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  let handle;
  try {
    // fs.promises, not node:fs/promises: that module (and the readline, watchers and dir modules
    // it loads) is then loaded only by the runs that read this way, not on every start.
    handle = await fsp.open(path, 'r');
  } catch (e) {
    throw openError(path, e);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new InputError(`${path}: is a directory`);
    if (st.isFile()) {
      if (st.size > maxBytes) throw new InputTooLargeError(`${path}: larger than ${maxBytes} bytes (see --max-size)`);
      return await handle.readFile();
    }
    return await readStream(handle.createReadStream({ autoClose: false }), maxBytes, path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    await handle.close();
  }
}

function openError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot open'}`);
}

/**
 * A regular file opened once: its first bytes to see what it is, then, if
 * wanted, the rest from the same handle, so a file is opened and read once.
 */
export interface OpenedFile {
  head: Buffer;
  /** The whole file: the head and whatever follows it. */
  readAll(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Opens a regular file of `size` bytes (as stat said) and reads up to
 * `headBytes` of it; InputError when it cannot. Synchronous underneath: a
 * batch reads one file at a time anyway, and a blocking read of a local file
 * costs a third of an open/read/close round through the thread pool.
 */
export async function openFile(path: string, size: number, headBytes: number): Promise<OpenedFile> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw openError(path, e);
  }
  const cannotRead = (e: unknown) => new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  let head: Buffer;
  try {
    const buf = Buffer.allocUnsafeSlow(Math.min(headBytes, Math.max(size, 1)));
    // Position null: read on from here, so readAll continues where the head ends.
    head = buf.subarray(0, readSync(fd, buf, 0, buf.length, null));
  } catch (e) {
    closeSync(fd);
    throw cannotRead(e);
  }
  let closed = false;
  return {
    head,
    async readAll() {
      // The head ended before the buffer was full and stat saw no more: that was all of it.
      if (head.length < headBytes && head.length >= size) return head;
      try {
        return Buffer.concat([head, readFileSync(fd)]);
      } catch (e) {
        throw cannotRead(e);
      }
    },
    async close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

/** The first bytes of a file, to see what it is before reading it all. */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await fsp.open(path, 'r').catch(() => null);
  if (!handle) return Buffer.alloc(0);
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
