import { InputError, UsageError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../knowledge/types.js';
import { initialState } from '../../wizard/transitions.js';
import type { Audience, BounceInput, Presets } from '../../wizard/types.js';
import { createInquirerUi, isInterrupt, WizardInterruptedError, type PromptUi } from '../../wizard/prompts.js';
import { checkCode, runWizardFlow } from '../../wizard/run.js';
import { createWorld, expandPath, type DnsOptions, type WizardWorld } from '../../wizard/world.js';
import { parseDeadline, parseTimeout } from '../dns-options.js';
import { loadKb, makeContext, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit.js';
import { writeLine, type CliIo } from '../io.js';
import { DEFAULT_MAX_BYTES } from '../read-input.js';

export interface WizardOptions extends GlobalOptions {
  file?: string;
  code?: string;
  audience?: Audience | 'all';
  nameserver?: string[];
  timeout?: string;
  deadline?: string;
}

/** --nameserver, --timeout and --deadline as check-mx reads them, checked before the first question. */
async function dnsOptions(opts: WizardOptions): Promise<DnsOptions> {
  const timeoutMs = parseTimeout(opts.timeout);
  const deadlineMs = parseDeadline(opts.deadline);
  if (opts.nameserver?.length) {
    // A bad server is a usage error now, not a surprise in the middle of the walk.
    const { parseNameservers } = await import('../../dns/servers.js');
    parseNameservers(opts.nameserver);
  }
  return {
    ...(opts.nameserver?.length ? { nameservers: opts.nameserver } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
  };
}

/** The DNS flags to repeat in `ndr check-mx` at the end. */
function dnsReplayFlags(opts: WizardOptions): string[] {
  return [
    ...(opts.nameserver ?? []).flatMap((n) => ['--nameserver', n]),
    ...(opts.timeout !== undefined ? ['--timeout', opts.timeout.trim()] : []),
    ...(opts.deadline !== undefined ? ['--deadline', opts.deadline.trim()] : []),
  ];
}

/**
 * Why the wizard cannot prompt here, or null when it can: both stdin and
 * stdout must be terminals and CI unset (cli-conventions §A6).
 */
export function terminalRefusal(io: CliIo): string | null {
  const why = !io.stdin.isTTY ? 'standard input is not a terminal' : !io.stdout.isTTY ? 'standard output is not a terminal' : io.env.CI ? 'CI is set' : null;
  return why && `the wizard needs a terminal (${why}); use ndr explain instead, e.g. ndr explain 5.1.10 or ndr explain bounce.eml`;
}

/** Seams for tests: the prompt adapter and the world can be replaced. */
export interface WizardSeams {
  kb?: KnowledgeBase;
  ui?: PromptUi;
  world?: (io: CliIo, interrupted: () => Error, dns: DnsOptions) => WizardWorld;
  /** Skip the terminal check (the prompts are driven by @inquirer/testing). */
  assumeTerminal?: boolean;
}

async function presetInput(opts: WizardOptions, world: WizardWorld): Promise<BounceInput | null> {
  if (opts.file !== undefined && opts.code !== undefined) throw new UsageError('give --file or --code, not both');
  if (opts.file !== undefined) {
    const path = expandPath(opts.file);
    const ok = await world.checkFile(path);
    if (ok !== true) throw new InputError(ok);
    return { method: 'file', path };
  }
  if (opts.code !== undefined) {
    const ok = checkCode(opts.code);
    if (ok !== true) throw new UsageError(`--code: ${ok}`);
    return { method: 'code', code: opts.code.trim() };
  }
  return null;
}

export async function runWizard(opts: WizardOptions, io: CliIo, seams: WizardSeams = {}): Promise<number> {
  const refusal = seams.assumeTerminal ? null : terminalRefusal(io);
  if (refusal) throw new UsageError(refusal);
  const ctx = await makeContext(io, opts);
  const dns = await dnsOptions(opts);
  const kb = seams.kb ?? (await loadKb(io, opts));
  const interrupted = () => new WizardInterruptedError();
  const world = seams.world ? seams.world(io, interrupted, dns) : createWorld(kb, io, interrupted, dns);
  const presets: Presets = {
    audience: opts.audience === 'sender' || opts.audience === 'admin' ? opts.audience : null,
    input: await presetInput(opts, world),
    replayFlags: opts.kb ? ['--kb', opts.kb] : [],
    checkFlags: dnsReplayFlags(opts),
  };

  // Ctrl+C inside a prompt reaches Inquirer as a key (raw mode); between
  // prompts (reading a file, DNS checks) it is a signal, and this turns it into
  // the same quiet exit.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const ui = seams.ui ?? (await createInquirerUi({ input: io.stdin, output: io.stdout, signal: controller.signal }));
    const outcome = await runWizardFlow(initialState(presets), { ui, world, render: { style: ctx.style, width: ctx.width }, signal: controller.signal, maxPasteChars: DEFAULT_MAX_BYTES });
    return outcome === 'quit' ? EXIT.notFound : EXIT.ok;
  } catch (err) {
    if (!isInterrupt(err)) throw err;
    // Inquirer shows the cursor again when a prompt ends; this covers the other paths.
    if (io.stdout.isTTY) io.stdout.write('\u001b[?25h');
    writeLine(io.stderr, 'ndr: interrupted');
    return EXIT.interrupted;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

