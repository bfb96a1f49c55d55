/**
 * Standard output written straight to descriptor 1 (src/cli/direct-output.ts):
 * which descriptors qualify, the hand-over to the stream past the pipe budget
 * and on EAGAIN (a real FIFO, filled until the system refuses), write errors
 * as 'error' events, and through bin/ the same bytes into a file, /dev/null
 * and a pipe as before, a closed pipe (exit 0) and a full device (exit 3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DirectOutput, directKind, PIPE_BUDGET } from '../../src/cli/direct-output.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { testTempDir } from '../helpers/tmp.js';

const env = { ...process.env, NO_COLOR: '1', CI: '' };

/** A FIFO opened for reading and writing, without blocking: a pipe this process holds both ends of. */
function fifo(): { fd: number; read: () => string; close: () => void } {
  const path = join(testTempDir('ndr-fifo-'), 'pipe');
  execFileSync('mkfifo', [path]);
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return {
    fd,
    read: () => {
      const buf = Buffer.alloc(1 << 20);
      let text = '';
      for (;;) {
        try {
          const n = readSync(fd, buf);
          if (n === 0) break;
          text += buf.toString('utf8', 0, n);
        } catch {
          break; // EAGAIN: read it all
        }
      }
      return text;
    },
    close: () => closeSync(fd),
  };
}

/** A stream standing in for process.stdout after the hand-over: it keeps what it is given. */
function keeper(): PassThrough & { text: () => string } {
  const chunks: Buffer[] = [];
  const s = new PassThrough();
  s.on('data', (d: Buffer) => chunks.push(d));
  return Object.assign(s, { text: () => Buffer.concat(chunks).toString('utf8') });
}

describe('which standard outputs are written directly', () => {
  it('a regular file and /dev/null as files, a FIFO as a pipe, another device (/dev/full) not at all', () => {
    const file = openSync(join(testTempDir('ndr-direct-'), 'out.txt'), 'w');
    const nul = openSync('/dev/null', 'w');
    const full = openSync('/dev/full', 'w');
    const pipe = fifo();
    try {
      expect(directKind(file)).toBe('file');
      expect(directKind(nul)).toBe('file');
      expect(directKind(pipe.fd)).toBe('pipe');
      expect(directKind(full)).toBeNull();
      expect(directKind(987654)).toBeNull(); // not open
    } finally {
      [file, nul, full].forEach((fd) => closeSync(fd));
      pipe.close();
    }
  });
});

describe('DirectOutput', () => {
  it('writes a pipe directly up to its budget, then hands the rest to the stream, in order', () => {
    const pipe = fifo();
    const stream = keeper();
    let made = 0;
    const out = new DirectOutput(pipe.fd, 'pipe', () => (made++, stream as unknown as NodeJS.WriteStream));
    const line = 'x'.repeat(99) + '\n';
    const lines = Math.ceil((PIPE_BUDGET * 2) / line.length);
    for (let i = 0; i < lines; i++) out.write(line);
    const direct = pipe.read();
    pipe.close();
    expect(made).toBe(1);
    expect(direct.length).toBeLessThanOrEqual(PIPE_BUDGET);
    expect(direct.length).toBeGreaterThan(PIPE_BUDGET - line.length);
    expect(direct + stream.text()).toBe(line.repeat(lines));
  });

  it('hands over at EAGAIN (a full non-blocking pipe): nothing is lost, and error listeners move to the stream', () => {
    const pipe = fifo();
    // Fill the pipe until the system refuses.
    const block = Buffer.alloc(4096, 'y');
    let filled = 0;
    for (;;) {
      try {
        filled += writeSync(pipe.fd, block);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('EAGAIN');
        break;
      }
    }
    const stream = keeper();
    const out = new DirectOutput(pipe.fd, 'file', () => stream as unknown as NodeJS.WriteStream);
    const errors: Error[] = [];
    out.on('error', (e) => errors.push(e as Error));
    expect(out.write('after the full pipe\n')).toBe(true);
    expect(stream.text()).toBe('after the full pipe\n');
    stream.emit('error', new Error('the stream failed'));
    expect(errors.map((e) => e.message)).toEqual(['the stream failed']);
    expect(pipe.read().length).toBe(filled);
    pipe.close();
  });

  it('turns a write error into an error event and writes nothing after it', async () => {
    const full = openSync('/dev/full', 'w');
    const out = new DirectOutput(full, 'file', () => {
      throw new Error('no hand-over expected');
    });
    const error = new Promise<NodeJS.ErrnoException>((resolve) => out.on('error', (e) => resolve(e as NodeJS.ErrnoException)));
    expect(out.write('one\n')).toBe(false);
    expect((await error).code).toBe('ENOSPC');
    expect(out.errored).not.toBeNull();
    expect(out.destroyed).toBe(true);
    expect(out.write('two\n')).toBe(false);
    closeSync(full);
  });
});

describe('standard output through bin/', () => {
  // The last is a batch past the pipe budget: into a pipe its first bytes go directly, the rest through the stream.
  const inputs = [
    ['explain', '5.7.1'],
    ['explain', 'examples/bounce-5.1.10.eml', '--full'],
    ['explain', '--full', 'examples', 'examples', 'examples'],
  ];

  it.each(inputs.map((args) => [args.join(' '), args] as const))(
    '%s: the same bytes into a file as into a pipe, in the same order',
    async (_name, args) => {
      const file = join(testTempDir('ndr-direct-'), 'out.txt');
      const fd = openSync(file, 'w');
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'] });
      closeSync(fd);
      expect(r.status).toBe(0);
      const piped = await runCli(args, { env: { NO_COLOR: '1' } });
      expect(piped.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
      expect(piped.stdout.length).toBeGreaterThan(500);
      if (args.length > 3) expect(Buffer.byteLength(piped.stdout)).toBeGreaterThan(PIPE_BUDGET * 2);
    },
  );

  it('a pipe closed before the answer is written: exit 0 and nothing on stderr', () => {
    const r = spawnSync('bash', ['-c', `(sleep 0.3; "${process.execPath}" "${BIN}" explain 5.7.1; echo "exit $?" >&2) | true`], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('exit 0\n');
  });

  it('/dev/full: one ndr: line and exit 3', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" explain 5.7.1 > /dev/full`], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('ndr: cannot write to standard output (ENOSPC)\n');
  });
});
