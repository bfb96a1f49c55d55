/**
 * A real authoritative server (NSD, Debian package `nsd`) for
 * interoperability tests: every test/fixtures/zones/<zone>.zone loaded on
 * 127.0.0.1 at a free high port, run in the foreground from a temp dir (no
 * chroot, no privilege drop, nothing outside the temp dir written).
 *
 *   const nsd = await startNsd();            // in beforeAll
 *   createResolver({ nameservers: [nsd.nameserver] })
 *   await nsd.stop();                        // in afterAll
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DnsResolver } from '../../src/dns/resolver.js';

export const ZONES_DIR = fileURLToPath(new URL('../fixtures/zones/', import.meta.url));

export interface NsdServer {
  address: '127.0.0.1';
  port: number;
  /** "127.0.0.1:PORT", for createResolver({ nameservers: [...] }) or --nameserver. */
  nameserver: string;
  /** The zones loaded (file names without .zone). */
  zones: string[];
  /** NSD's log, for failure messages. */
  logFile: string;
  stop(): Promise<void>;
}

export interface StartNsdOptions {
  /** Folder of <zone>.zone files; default test/fixtures/zones. */
  zonesDir?: string;
  /** Only these zones (names without .zone); default every file in the folder. */
  zones?: string[];
  /** How long to wait for NSD to answer for every zone; default 15 s. */
  readyTimeoutMs?: number;
}

const INSTALL_HINT = 'run `apt-get install nsd` (Debian package nsd; .ci/run installs it)';

/** The nsd binary, looked up on PATH and in the sbin folders a non-root PATH may lack. */
export function findNsd(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'nsd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

/**
 * Starts NSD with the fixture zones and resolves once it answers SOA for
 * every zone. Throws (never skips) when nsd is missing, a zone does not
 * load, or it does not come up in time; the message names the fix.
 */
export async function startNsd(options: StartNsdOptions = {}): Promise<NsdServer> {
  const binary = findNsd();
  if (binary === null) {
    throw new Error(`nsd is not installed: the DNS interoperability tests need a real authoritative server; ${INSTALL_HINT}`);
  }
  const zonesDir = options.zonesDir ?? ZONES_DIR;
  const files = (await readdir(zonesDir).catch(() => [] as string[])).filter((f) => f.endsWith('.zone')).sort();
  const zones = options.zones ?? files.map((f) => f.slice(0, -'.zone'.length));
  if (zones.length === 0) throw new Error(`no *.zone files in ${zonesDir}`);

  let lastError: Error | null = null;
  // A free port can be taken between our probe and NSD's bind; try a few.
  for (let tries = 0; tries < 4; tries++) {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'ndr-nsd-'));
    try {
      return await launch(binary, dir, port, zonesDir, zones, options.readyTimeoutMs ?? 15_000);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      lastError = err as Error;
      if (!(err instanceof PortInUseError)) throw err;
    }
  }
  throw lastError ?? new Error('nsd did not start');
}

class PortInUseError extends Error {}

async function launch(
  binary: string,
  dir: string,
  port: number,
  zonesDir: string,
  zones: string[],
  readyTimeoutMs: number,
): Promise<NsdServer> {
  const logFile = join(dir, 'nsd.log');
  const config = [
    'server:',
    `  ip-address: 127.0.0.1@${port}`,
    `  port: ${port}`,
    '  do-ip6: no',
    '  username: ""', // no privilege drop: works as root and as a normal user
    '  chroot: ""',
    `  zonesdir: "${zonesDir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    '  database: ""', // read zone files directly, no nsd.db
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  xfrdir: "${dir}"`,
    `  logfile: "${logFile}"`,
    '  server-count: 1',
    '  verbosity: 1',
    '  hide-version: yes',
    'remote-control:',
    '  control-enable: no',
    ...zones.flatMap((zone) => ['zone:', `  name: "${zone}"`, `  zonefile: "${join(zonesDir, `${zone}.zone`)}"`]),
    '',
  ].join('\n');
  const configFile = join(dir, 'nsd.conf');
  await writeFile(configFile, config);

  // -d: stay in the foreground, so the child's pid is NSD's main process.
  const child = spawn(binary, ['-d', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.on('error', (err) => {
      output += `spawn error: ${err.message}\n`;
      exited ??= { code: null, signal: null };
      resolve();
    });
  });
  // If the test process dies without afterAll, do not leave NSD behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const log = async () => {
    const file = await readFile(logFile, 'utf8').catch(() => '');
    return `${output}${file}`.trim().split('\n').slice(-20).join('\n');
  };

  try {
    await waitUntilServing(port, zones, readyTimeoutMs, () => exited !== null);
  } catch (err) {
    if (exited === null) await new Promise((r) => setTimeout(r, 100)); // let NSD finish writing its log
    const text = await log().catch(() => '');
    await stop();
    if (/address already in use/i.test(text + output)) throw new PortInUseError(`port ${port} in use`);
    throw new Error(`${(err as Error).message}\n--- nsd output ---\n${text || output}`, { cause: err });
  }
  return { address: '127.0.0.1', port, nameserver: `127.0.0.1:${port}`, zones, logFile, stop };
}

/** Polls with our own client until NSD answers SOA for every zone (bounded). */
async function waitUntilServing(port: number, zones: string[], timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  const resolver = new DnsResolver({
    servers: [{ address: '127.0.0.1', port, family: 4 }],
    timeoutMs: 250,
    attempts: 1,
    deadlineMs: timeoutMs + 1000,
  });
  try {
    await pollZones(resolver, port, zones, until, timeoutMs, hasExited);
  } finally {
    resolver.abort('ready'); // clears its deadline timer
  }
}

async function pollZones(
  resolver: DnsResolver,
  port: number,
  zones: string[],
  until: number,
  timeoutMs: number,
  hasExited: () => boolean,
): Promise<void> {
  const first = zones[0] ?? '';
  // NSD reads every zone before it starts answering, so one answer means all zones are in.
  for (;;) {
    if (hasExited()) throw new Error('nsd exited during start-up');
    const soa = await resolver.lookup(first, 'SOA');
    if (soa.status !== 'timeout' && soa.status !== 'error') break;
    if (Date.now() > until) throw new Error(`nsd did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const results = await Promise.all(zones.map((zone) => resolver.lookup(zone, 'SOA')));
  const broken = results.filter((r) => r.status !== 'ok').map((r) => `${r.name} (${r.status})`);
  if (broken.length > 0) {
    throw new Error(`nsd did not load zone(s) ${broken.join(', ')}: check the zone file(s) in test/fixtures/zones`);
  }
}

/** A port free for both UDP and TCP on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (ok) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
}
