import type { Writable } from 'node:stream';
import { InterruptedError, OutputClosedError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { DirectOutput, directKind } from './direct-output.js';

export type { CliIo } from '../core/io.js';

/**
 * The process's own streams. `watch` is called with stdout and with stderr on
 * first use (run() in main.ts adds its error handlers there). Standard output
 * is written directly when it is a file, /dev/null or (its first bytes) a pipe
 * (direct-output.ts).
 */
export function processIo(watch?: (stream: NodeJS.WriteStream, name: 'stdout' | 'stderr') => void): CliIo {
  // Getters, not values: the first use of process.stdin (or stderr) builds its stream, which
  // loads net, tty or the fs streams; a run that never reads standard input does not pay for it.
  const made = new Map<string, NodeJS.WriteStream>();
  const make = (name: 'stdout' | 'stderr'): NodeJS.WriteStream => {
    const kind = name === 'stdout' ? directKind(1) : null;
    return kind ? (new DirectOutput(1, kind, () => process.stdout) as unknown as NodeJS.WriteStream) : process[name];
  };
  const output = (name: 'stdout' | 'stderr') => {
    let stream = made.get(name);
    if (!stream) {
      made.set(name, (stream = make(name)));
      watch?.(stream, name);
    }
    return stream;
  };
  return {
    get stdout() {
      return output('stdout');
    },
    get stderr() {
      return output('stderr');
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    signals: process,
  };
}

export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** How often a batch lets the event loop run (signals, finished writes) when stdout never fills. */
const YIELD_EVERY_MS = 20;

/**
 * The pace of a long run of output (a batch): call `ready()` after each item.
 * It waits while stdout's buffer is full, so a slow reader holds the work back
 * and memory stays flat (one item's output at most is queued); it lets the
 * event loop run every few milliseconds, so signals and write errors arrive;
 * and it throws when the output is gone (OutputClosedError: a closed pipe
 * stops the work at once) or a signal came (InterruptedError: the output ends
 * after a whole item, so a JSON Lines stream ends at a line boundary).
 * `stop()` removes the signal handlers; a second signal then ends the process.
 */
export function outputPace(io: CliIo): { ready(): Promise<void>; stop(): void } {
  const out = io.stdout as unknown as Writable;
  let signalled: number | null = null;
  let last = Date.now();
  const handlers = new Map<string, () => void>();
  const stop = () => {
    for (const [name, handler] of handlers) io.signals?.off(name, handler);
    handlers.clear();
  };
  for (const [name, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    const handler = () => {
      signalled ??= code;
      stop();
    };
    handlers.set(name, handler);
    io.signals?.on(name, handler);
  }
  const gone = () => out.errored ?? (out.destroyed || out.writableEnded ? new Error('closed') : null);
  return {
    async ready() {
      if (!gone() && out.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            out.off('error', done);
            resolve();
          };
          out.on('drain', done);
          out.on('close', done);
          out.on('error', done);
        });
        last = Date.now();
      } else if (Date.now() - last >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        last = Date.now();
      }
      const err = gone();
      if (err) throw new OutputClosedError((err as NodeJS.ErrnoException).code ?? 'closed');
      if (signalled !== null) throw new InterruptedError(signalled);
    },
    stop,
  };
}
