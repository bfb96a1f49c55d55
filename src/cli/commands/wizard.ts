import { InputError, InterruptedError, UsageError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../knowledge/types.js';
import { initialState } from '../../wizard/transitions.js';
import type { Audience, BounceInput, Presets } from '../../wizard/types.js';
import { createInquirerUi, isInterrupt, WizardInterruptedError, type PromptUi } from '../../wizard/prompts.js';
import { checkCode, runWizardFlow } from '../../wizard/run.js';
import { createWorld, expandPath, type DnsOptions, type WizardWorld } from '../../wizard/world.js';
import { dnsSettings } from '../dns-options.js';
import { loadKb, makeContext, type GlobalOptions } from '../context.js';
import { EXIT, type CommandResult } from '../exit.js';
import type { CliIo } from '../io.js';
import { DEFAULT_MAX_BYTES } from '../../input/size.js';

export interface WizardOptions extends GlobalOptions {
  file?: string;
  code?: string;
  audience?: Audience | 'all';
  nameserver?: string[];
  timeout?: string;
  deadline?: string;
}

/** What the wizard runs with, every option checked before the first question. */
interface WizardSettings {
  global: GlobalOptions;
  /** --nameserver, --timeout and --deadline as check-mx reads them. */
  dns: DnsOptions;
  audience: 'sender' | 'admin' | null;
  /** --file (the path as given; checked when the walk starts) or --code (checked now). */
  start: { file: string } | { code: string } | null;
  /** --kb, to repeat in the `ndr explain` commands the walk shows. */
  replayFlags: string[];
  /** The DNS flags to repeat in `ndr check-mx` at the end. */
  checkFlags: string[];
}

async function wizardSettings(opts: WizardOptions): Promise<WizardSettings> {
  const { nameservers, timeoutMs, deadlineMs } = await dnsSettings(opts);
  if (opts.file !== undefined && opts.code !== undefined) throw new UsageError('give --file or --code, not both');
  if (opts.code !== undefined) {
    const ok = checkCode(opts.code);
    if (ok !== true) throw new UsageError(`--code: ${ok}`);
  }
  return {
    global: { json: opts.json, color: opts.color, kb: opts.kb },
    dns: {
      ...(nameservers.length ? { nameservers } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    },
    audience: opts.audience === 'sender' || opts.audience === 'admin' ? opts.audience : null,
    start: opts.file !== undefined ? { file: opts.file } : opts.code !== undefined ? { code: opts.code.trim() } : null,
    replayFlags: opts.kb ? ['--kb', opts.kb] : [],
    checkFlags: [
      ...(opts.nameserver ?? []).flatMap((n) => ['--nameserver', n]),
      ...(opts.timeout !== undefined ? ['--timeout', opts.timeout.trim()] : []),
      ...(opts.deadline !== undefined ? ['--deadline', opts.deadline.trim()] : []),
    ],
  };
}

/**
 * Why the wizard cannot prompt here, or null when it can: both stdin and
 * stdout must be terminals and CI unset (cli-conventions §A6).
 */
export function terminalRefusal(io: CliIo): string | null {
  const why = !io.stdin.isTTY
    ? 'standard input is not a terminal'
    : !io.stdout.isTTY
      ? 'standard output is not a terminal'
      : io.env.CI
        ? 'CI is set'
        : null;
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

async function presetInput(start: WizardSettings['start'], world: WizardWorld): Promise<BounceInput | null> {
  if (start && 'file' in start) {
    const path = expandPath(start.file);
    const ok = await world.checkFile(path);
    if (ok !== true) throw new InputError(ok);
    return { method: 'file', path };
  }
  return start && { method: 'code', code: start.code };
}

/**
 * The walk, to one of its ends: solved, every suggestion tried, or quit from
 * its menu are all a normal end (exit 0); Ctrl+C anywhere is exit 130, said by
 * main() like any interrupt.
 */
export async function runWizard(opts: WizardOptions, io: CliIo, seams: WizardSeams = {}): Promise<CommandResult> {
  const refusal = seams.assumeTerminal ? null : terminalRefusal(io);
  if (refusal) throw new UsageError(refusal);
  const settings = await wizardSettings(opts);
  const ctx = await makeContext(io, settings.global);
  const kb = seams.kb ?? (await loadKb(io, settings.global));
  const interrupted = () => new WizardInterruptedError();
  const world = seams.world ? seams.world(io, interrupted, settings.dns) : createWorld(kb, io, interrupted, settings.dns);
  const presets: Presets = {
    audience: settings.audience,
    input: await presetInput(settings.start, world),
    replayFlags: settings.replayFlags,
    checkFlags: settings.checkFlags,
  };

  // Ctrl+C inside a prompt reaches Inquirer as a key (raw mode); between
  // prompts (reading a file, DNS checks) it is a signal, and this turns it into
  // the same quiet exit.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const ui = seams.ui ?? (await createInquirerUi({ input: io.stdin, output: io.stdout, signal: controller.signal }));
    await runWizardFlow(initialState(presets), {
      ui,
      world,
      render: { style: ctx.style, width: ctx.width },
      signal: controller.signal,
      maxPasteChars: DEFAULT_MAX_BYTES,
    });
    return { exit: 'ok' };
  } catch (err) {
    if (!isInterrupt(err)) throw err;
    // Inquirer shows the cursor again when a prompt ends; this covers the other paths.
    if (io.stdout.isTTY) io.stdout.write('\u001b[?25h');
    throw new InterruptedError(EXIT.interrupted);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
