/**
 * Output under back-pressure (issue 17 item 1), through the real binary:
 * a reader that reads slowly, one that stops after a line (`| head -1`), a
 * 100,000-message mailbox into a pipe, a signal in the middle of a JSON Lines
 * stream, and a write error (stdout on /dev/full: ENOSPC).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShortBounces } from '../../scripts/bench/short-bounces.mjs';
import { BIN, ROOT } from '../helpers/cli.js';

let tmp: string;
let mbox20k: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ndr-output-'));
  mbox20k = join(tmp, 'bounces-20000.mbox');
  writeShortBounces(mbox20k, 20_000);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', CI: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code and signal; kills the child after `killMs` (a hang, not a slow machine). */
function ended(child: ChildProcessWithoutNullStreams, killMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timer = setTimeout(() => child.kill('SIGKILL'), killMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    }),
  );
}

/** The child's peak resident memory so far in MB (Linux /proc), or 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts lines without holding the output; keeps the first and the last line. */
function lineCounter(child: ChildProcessWithoutNullStreams) {
  const state = { lines: 0, bytes: 0, first: '', tail: '', last: '' };
  child.stdout.on('data', (d: Buffer) => {
    state.bytes += d.length;
    let start = 0;
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) {
      const line = state.tail + d.subarray(start, i).toString('utf8');
      if (state.lines === 0) state.first = line;
      state.last = line;
      state.tail = '';
      state.lines++;
      start = i + 1;
    }
    state.tail += d.subarray(start).toString('utf8');
  });
  return state;
}

describe('output under back-pressure', () => {
  it('waits for a slow reader: memory stays flat and every line arrives', async () => {
    const child = start(['explain', '--json', mbox20k]);
    const done = ended(child, 120_000);
    const out = lineCounter(child);
    // Read nothing for two seconds (a reader busy elsewhere), then everything, slowly at first.
    child.stdout.pause();
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      peak = Math.max(peak, peakRssMb(child.pid!));
    }
    for (let i = 0; i < 20; i++) {
      child.stdout.resume();
      await sleep(20);
      child.stdout.pause();
      await sleep(80);
      peak = Math.max(peak, peakRssMb(child.pid!));
    }
    child.stdout.resume();
    const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid!))), 50);
    const r = await done;
    clearInterval(sampler);
    expect(r).toEqual({ code: 0, signal: null });
    expect(out.lines).toBe(20_000);
    expect(out.tail).toBe('');
    expect(JSON.parse(out.last)).toMatchObject({ message: 20_000, findings: [{ recipient: 'u19999@c.example', status: '5.1.1' }] });
    // 20,000 lines are 170 MB of JSON: held in memory they took 625 MB; kept pace with, ~120 MB.
    // 200 MB: the budget of `npm run bench` for 100,000 messages.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(200);
  }, 180_000);

  it('stops the work at once when the reader stops after one line (| head -1): exit 0, nothing on stderr', async () => {
    // A FIFO that nobody writes to comes after the mailbox: reaching it would hang the run,
    // so ending at all shows that the work stopped inside the mailbox.
    const fifo = join(tmp, 'never.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = start(['explain', '--json', mbox20k, fifo]);
    const done = ended(child, 60_000);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let got = '';
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        got += d.toString('utf8');
        if (got.includes('\n')) {
          child.stdout.off('data', onData);
          child.stdout.destroy();
          resolve();
        }
      };
      child.stdout.on('data', onData);
    });
    expect(JSON.parse(got.slice(0, got.indexOf('\n')))).toMatchObject({ message: 1 });
    expect(await done).toEqual({ code: 0, signal: null });
    expect(err).toBe('');
  }, 90_000);

  it('delivers all 100,000 lines of a 100,000-message mailbox into a pipe, exit 0', async () => {
    const big = join(tmp, 'bounces-100000.mbox');
    writeShortBounces(big, 100_000);
    const child = start(['explain', '--json', big]);
    const done = ended(child, 240_000);
    const out = lineCounter(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await done).toEqual({ code: 0, signal: null });
    expect(err).toBe('');
    expect(out.lines).toBe(100_000);
    expect(out.tail).toBe('');
    expect(JSON.parse(out.last)).toMatchObject({ message: 100_000, findings: [{ recipient: 'u99999@c.example' }] });
    rmSync(big);
  }, 300_000);

  it('ends a JSON Lines stream at a line boundary on SIGINT, exit 130', async () => {
    const child = start(['explain', '--json', mbox20k]);
    const done = ended(child, 60_000);
    const out = lineCounter(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Take a little, then stop reading so that the pipe is full mid-line, and interrupt.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.pause();
    await sleep(500);
    child.kill('SIGINT');
    await sleep(300);
    child.stdout.resume();
    expect(await done).toEqual({ code: 130, signal: null });
    expect(out.lines).toBeGreaterThan(0);
    expect(out.lines).toBeLessThan(20_000);
    expect(out.tail).toBe('');
    expect(JSON.parse(out.last)).toMatchObject({ message: out.lines });
    expect(err).toBe('ndr: interrupted\n');
  }, 90_000);

  it.each([
    ['one answer', ['explain', '5.7.1']],
    ['one JSON answer', ['explain', '--json', '5.7.1']],
    ['a batch', ['explain', '--json', 'MBOX']],
  ])(
    'a write error (ENOSPC on /dev/full) in %s is one ndr: line and exit 3, not exit 0',
    async (_what, args) => {
      const full = openSync('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, [BIN, ...args.map((a) => (a === 'MBOX' ? mbox20k : a))], {
          cwd: ROOT,
          env: { ...process.env, NO_COLOR: '', CI: '' },
          stdio: ['ignore', full, 'pipe'],
        });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code).toBe(3);
        expect(err).toBe('ndr: cannot write to standard output (ENOSPC)\n');
      } finally {
        closeSync(full);
      }
    },
    60_000,
  );
});
