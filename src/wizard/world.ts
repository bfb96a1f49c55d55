/**
 * The wizard's contact with the world: reading the bounce file and running
 * DNS checks. Each piece that belongs to another module is one adapter
 * function here (`loadBounceFile`, `runDomainChecks`), so the flow and the
 * prompts never see those modules' types.
 */
import { constants, promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { InputError, NotAMessageError } from '../core/errors.js';
import type { Finding } from '../explain/finding.js';
import { explainText } from '../explain/text.js';
import type { CheckName, KnowledgeBase } from '../knowledge/types.js';
import type { CliIo } from '../core/io.js';
import { DEFAULT_MAX_BYTES } from '../input/size.js';
import type { CheckReport, CheckResult } from '../checks/types.js';
import { checkFamily } from './session.js';
import type { Answer, BounceInput, Loaded } from './types.js';

export interface WizardWorld {
  /** true, or why the path cannot be used (the same limits as `ndr explain FILE`). */
  checkFile(path: string): Promise<true | string>;
  load(input: BounceInput, signal: AbortSignal): Promise<Extract<Answer, { type: 'loaded' | 'load-failed' }>>;
  runChecks(domain: string, checks: CheckName[], signal: AbortSignal): Promise<CheckResult[]>;
}

/**
 * A path as typed or dropped into a terminal: surrounding quotes and
 * backslash-escaped spaces removed, a leading ~/ expanded (no shell does it
 * for a prompt's answer).
 */
export function expandPath(raw: string, home: string = homedir()): string {
  let p = raw.trim();
  const quoted = /^(['"])(.*)\1$/.exec(p);
  if (quoted) p = quoted[2]!;
  else p = p.replace(/\\([ '"()&])/g, '$1');
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home}/${p.slice(2)}`;
  return p;
}

export async function checkFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<true | string> {
  if (!path.trim()) return 'Type the path of the saved bounce.';
  try {
    const st = await fsp.stat(path);
    if (!st.isFile()) return `${path}: not a file`;
    if (st.size > maxBytes) return `${path}: larger than ${maxBytes} bytes`;
    await fsp.access(path, constants.R_OK);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `${path}: no such file`
      : code === 'EACCES'
        ? `${path}: not readable (permission denied)`
        : `${path}: cannot read (${code ?? 'error'})`;
  }
}

// ---------------------------------------------------------------------------
// Adapter: the bounce parser. The file is read and cut up exactly as
// `ndr explain FILE` does (src/input/items.ts readSource: size limit, mbox,
// .msg and binary refused, saved text explained as text); each message goes
// through parseBounce (src/bounce/) and explainBounce (src/explain/).

/** Only recipients that failed or are delayed are worth walking through. */
const UNDELIVERED = new Set([null, 'failed', 'delayed']);

async function loadBounceFile(kb: KnowledgeBase, path: string, io: CliIo, maxBytes: number): Promise<Loaded> {
  const [{ readSource }, { parseBounce }, { explainBounce }] = await Promise.all([
    import('../input/items.js'),
    import('../bounce/parse.js'),
    import('../explain/bounce.js'),
  ]);
  const findings: Finding[] = [];
  let sender: string | null = null;
  for (const item of await readSource({ type: 'file', path, fromFolder: false }, io, maxBytes)) {
    if (item.kind === 'error') throw item.error;
    if (item.kind === 'text') {
      findings.push(...explainText(kb, item.text).findings);
      continue;
    }
    const ex = explainBounce(kb, await parseBounce(item.bytes));
    if (ex.bounce.messageKind === 'not-a-bounce')
      throw new NotAMessageError(`${path}: not a delivery report (no bounce or delay notice found)`);
    findings.push(
      ...ex.findings.filter((f) => UNDELIVERED.has(f.record.action) && (f.finding.match || f.finding.generic)).map((f) => f.finding),
    );
    // The bounce goes back to the envelope sender; the returned headers name the author.
    sender ??= ex.bounce.original?.from ?? ex.bounce.original?.returnPath ?? ex.bounce.to[0] ?? null;
  }
  return { findings, sender };
}

// ---------------------------------------------------------------------------
// Adapter: DNS checks (src/checks runChecks over src/dns createResolver). The
// report is cut down to the families the entry names ("mx" takes mx-records,
// mx-count, mx-target, mx-resolves).

/** A check report's results of the families the entry asks for, in the report's order. */
export function checksFromReport(report: Pick<CheckReport, 'checks'>, wanted: readonly CheckName[]): CheckResult[] {
  return report.checks.filter((c) => (wanted as readonly string[]).includes(checkFamily(c.id)));
}

/** Runs `ndr check-mx`'s checks for the domain, over the system's resolver; Ctrl+C cancels the lookups. */
async function runDomainChecks(domain: string, checks: CheckName[], signal: AbortSignal, dns: DnsOptions): Promise<CheckResult[]> {
  // The DNS client and the checks load only when the person asks for them.
  const [{ createResolver }, { runChecks }] = await Promise.all([import('../dns/index.js'), import('../checks/run.js')]);
  const resolver = await createResolver({
    signal,
    nameservers: dns.nameservers ?? [],
    ...(dns.timeoutMs !== undefined ? { timeoutMs: dns.timeoutMs } : {}),
    ...(dns.deadlineMs !== undefined ? { deadlineMs: dns.deadlineMs } : {}),
  });
  return checksFromReport(await runChecks(domain, resolver), checks);
}

// ---------------------------------------------------------------------------

/** Rejects when the signal aborts (Ctrl+C during a slow step). */
function abortable<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(onAbort());
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', stop);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(e);
      },
    );
  });
}

/** How the checks ask DNS: check-mx's --nameserver, --timeout and --deadline. */
export interface DnsOptions {
  /** DNS servers for the checks, "ip[:port]"; default: /etc/resolv.conf. */
  nameservers?: readonly string[];
  /** Per try (--timeout); default: resolv.conf's, else the resolver's. */
  timeoutMs?: number;
  /** For a whole run of checks (--deadline). */
  deadlineMs?: number;
}

export interface WorldOptions extends DnsOptions {
  /** The file size limit (explain's default). */
  maxBytes?: number;
}

export function createWorld(kb: KnowledgeBase, io: CliIo, interrupted: () => Error, options: WorldOptions = {}): WizardWorld {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return {
    checkFile: (path) => checkFile(path, maxBytes),
    async load(input, signal) {
      try {
        if (input.method === 'file') {
          return { type: 'loaded', loaded: await abortable(loadBounceFile(kb, input.path, io, maxBytes), signal, interrupted) };
        }
        const text = input.method === 'code' ? input.code : input.text;
        return { type: 'loaded', loaded: { findings: explainText(kb, text).findings, sender: null } };
      } catch (e) {
        // Input problems let the person try another way; anything else is a bug for the CLI to report.
        if (e instanceof InputError) return { type: 'load-failed', message: e.message };
        throw e;
      }
    },
    runChecks: (domain, checks, signal) => abortable(runDomainChecks(domain, checks, signal, options), signal, interrupted),
  };
}
