/**
 * Standard output written straight to file descriptor 1, when that is safe,
 * instead of through process.stdout: building that stream loads Node's stream
 * modules (net or the fs streams, ~4 ms of a 25 ms `ndr explain 5.7.1`), and
 * a run that prints one answer needs none of it.
 *
 * - A regular file or /dev/null: written with fs.writeSync, as process.stdout
 *   itself does for files (its SyncWriteStream), so nothing changes but the
 *   cost.
 * - A pipe or a socket: the first PIPE_BUDGET bytes only. A blocking write to a
 *   pipe waits while the pipe is full, and a signal could not end the run
 *   then; a pipe holds at least 16 KB (64 KB on Linux), so the first 8 KB
 *   never wait. Past them (a batch), and at the first EAGAIN (a descriptor
 *   someone made non-blocking), the rest goes through process.stdout, with
 *   its back-pressure (io.ts outputPace); what was written came first.
 * - A terminal or any other device (/dev/full, say): process.stdout, which
 *   knows the terminal's width.
 *
 * Write errors behave as the stream's do: an 'error' event (EPIPE, ENOSPC …)
 * that run() in main.ts handles, and nothing written after it.
 */
import { EventEmitter } from 'node:events';
import { fstatSync, statSync, writeSync, type Stats } from 'node:fs';

export const PIPE_BUDGET = 8 * 1024;

export type DirectKind = 'file' | 'pipe';

const isNullDevice = (st: Stats): boolean => {
  try {
    const nul = statSync('/dev/null');
    return st.isCharacterDevice() && st.rdev === nul.rdev && st.dev === nul.dev && st.ino === nul.ino;
  } catch {
    return false;
  }
};

/** How descriptor `fd` may be written directly, or null when only the stream will do. */
export function directKind(fd: number): DirectKind | null {
  if (process.platform === 'win32') return null;
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch {
    return null;
  }
  if (st.isFile() || isNullDevice(st)) return 'file';
  return st.isFIFO() || st.isSocket() ? 'pipe' : null;
}

type Chunk = string | Uint8Array;
type Callback = (err?: Error | null) => void;

/**
 * A writable for `fd` (see the top of this file); `stream()` gives the stream
 * that takes over (process.stdout), built only when needed.
 */
export class DirectOutput extends EventEmitter {
  readonly isTTY = false;
  readonly columns = undefined;
  private written = 0;
  private failed: NodeJS.ErrnoException | null = null;
  private taken: NodeJS.WriteStream | null = null;

  constructor(
    private readonly fd: number,
    private readonly kind: DirectKind,
    private readonly stream: () => NodeJS.WriteStream,
  ) {
    super();
  }

  get errored(): Error | null {
    return this.taken ? this.taken.errored : this.failed;
  }
  get destroyed(): boolean {
    return this.taken ? this.taken.destroyed : this.failed !== null;
  }
  get writableEnded(): boolean {
    return this.taken ? this.taken.writableEnded : false;
  }
  get writableNeedDrain(): boolean {
    return this.taken ? this.taken.writableNeedDrain : false;
  }

  write(chunk: Chunk, encodingOrCb?: BufferEncoding | Callback, cb?: Callback): boolean {
    const callback = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    const encoding = typeof encodingOrCb === 'string' ? encodingOrCb : 'utf8';
    if (this.taken) return this.taken.write(chunk, encoding, callback);
    if (this.failed) {
      if (callback) process.nextTick(callback, this.failed);
      return false;
    }
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    if (this.kind === 'pipe' && this.written + bytes.length > PIPE_BUDGET) return this.handOver(bytes, callback);
    while (bytes.length) {
      let n: number;
      try {
        n = writeSync(this.fd, bytes);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        // Only the system's refusals are write errors; anything else is a bug, for main() to report.
        if (typeof err.code !== 'string') throw e;
        if (err.code === 'EAGAIN') return this.handOver(bytes, callback);
        this.failed = err;
        process.nextTick(() => this.emit('error', err));
        if (callback) process.nextTick(callback, err);
        return false;
      }
      this.written += n;
      bytes = bytes.subarray(n);
    }
    if (callback) process.nextTick(callback, null);
    return true;
  }

  /** From now on the stream writes, beginning with `rest`; the error listeners go with it. */
  private handOver(rest: Uint8Array, callback?: Callback): boolean {
    const taken = (this.taken = this.stream());
    for (const listener of this.listeners('error')) taken.on('error', listener as (err: Error) => void);
    this.removeAllListeners('error');
    return taken.write(rest, callback);
  }

  // After the hand-over, listeners (outputPace's 'drain', 'close', 'error') belong to the stream.
  override on(event: string, listener: (...args: unknown[]) => void): this {
    if (this.taken) this.taken.on(event, listener);
    else super.on(event, listener);
    return this;
  }

  override off(event: string, listener: (...args: unknown[]) => void): this {
    if (this.taken) this.taken.off(event, listener);
    else super.off(event, listener);
    return this;
  }

  override once(event: string, listener: (...args: unknown[]) => void): this {
    if (this.taken) this.taken.once(event, listener);
    else super.once(event, listener);
    return this;
  }
}
