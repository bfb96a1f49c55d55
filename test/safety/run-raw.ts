import { spawn } from 'node:child_process';
import { BIN, ROOT } from '../helpers/cli.js';

export interface RawResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

/** Runs bin/ndr.js like runCli, but keeps stdout and stderr as bytes, so tests can assert on raw bytes. */
export function runRaw(args: string[], options: { input?: Buffer | string; timeoutMs?: number } = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '' };
    delete env.FORCE_COLOR;
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - started });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

// C0 but \t and \n, and DEL, as raw bytes.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// C1, bidi controls and zero-width/format characters (cli-conventions.md §B2.1), once decoded.
const UNSAFE_DECODED = /[\u0080-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/** Why these bytes are not safe for a terminal, or null: raw controls, invalid UTF-8 (a lone 8-bit C1 byte), C1, bidi, zero-width. */
export function terminalHazard(bytes: Buffer): string | null {
  const latin = bytes.toString('latin1');
  const c = RAW_CONTROL.exec(latin);
  if (c)
    return `raw control byte 0x${c[0].charCodeAt(0).toString(16)} at ${c.index}: ${JSON.stringify(latin.slice(Math.max(0, c.index - 40), c.index + 20))}`;
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return 'invalid UTF-8 (a raw 8-bit byte such as C1 0x9b)';
  const u = UNSAFE_DECODED.exec(text);
  if (u)
    return `U+${u[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${u.index}: ${JSON.stringify(text.slice(Math.max(0, u.index - 40), u.index + 20))}`;
  return null;
}
