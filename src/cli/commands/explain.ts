import type { AddressForms } from '../../bounce/text-util.js';
import type { BounceExplanation } from '../../explain/bounce.js';
import type { CheckReport } from '../../checks/types.js';
import { InputError } from '../../core/errors.js';
import { explainCode, isBareCode, type TextExplanation } from '../../explain/code.js';
import type { TextOptions } from '../../explain/text.js';
import type { KnowledgeBase } from '../../knowledge/types.js';
import { addToSummary, emptySummary, renderBatchSummary, renderBounceText, type BatchSummary } from '../../render/bounce-text.js';
import { renderCheckCommands } from '../../render/check-links-text.js';
import { JsonLines } from '../../render/entry-json.js';
import { checksJson, errorJson, folderCutJson, messageJson, textJson } from '../../render/explain-json.js';
import { groupByEntry, moreLine, renderFindingText, type Audience } from '../../render/finding-text.js';
import { shellJoin } from '../../render/shell-quote.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { wrap } from '../../render/wrap.js';
import { loadKb, makeContext, type Context, type GlobalOptions } from '../context.js';
import type { CommandResult } from '../exit.js';
import { readItems } from '../../input/items.js';
import { planInputs } from '../../input/plan.js';
import type { FolderCut, Item } from '../../input/types.js';
import { outputPace, writeLine, type CliIo } from '../io.js';
import { parseSize } from '../../input/size.js';
import { checkLinks, type CheckLink } from '../../explain/check-links.js';
import { dnsSettings, type DnsFlags, type ResolverSettings } from '../dns-options.js';
import { thousands } from '../../core/numbers.js';

/** The options as commander gives them; read once, by explainSettings. */
export interface ExplainOptions extends GlobalOptions, DnsFlags {
  audience?: Audience;
  full?: boolean;
  maxSize?: string;
  check?: boolean;
}

/** What `ndr explain` runs with: every option checked before any input is read, whatever the others (--timeout without --check too). */
interface ExplainSettings {
  global: GlobalOptions;
  audience: Audience;
  full: boolean;
  maxBytes: number;
  /** --check: run the checks the findings point to. */
  check: boolean;
  /** The resolver of those checks (--nameserver, --timeout, --deadline). */
  dns: ResolverSettings;
}

async function explainSettings(opts: ExplainOptions): Promise<ExplainSettings> {
  const maxBytes = parseSize(opts.maxSize);
  return {
    global: { json: opts.json, color: opts.color, kb: opts.kb },
    audience: opts.audience ?? 'all',
    full: Boolean(opts.full),
    maxBytes,
    check: Boolean(opts.check),
    dns: await dnsSettings(opts),
  };
}

/** One run of the command: what every step below reads. `args` are the inputs as given (for the --full hint). */
interface Run {
  kb: KnowledgeBase;
  ctx: Context;
  settings: ExplainSettings;
  args: string[];
  /** --full: the command that shows a related entry (null when no input selects it). */
  commandFor?: (id: string) => string | null;
}

const NOTHING_FOUND =
  'no status code or known NDR text found in the input. Give a code such as 5.7.1, a reply such as "550 5.1.10", or paste the diagnostic line of the bounce.';

function textOptions({ ctx, settings, commandFor }: Run) {
  return { style: ctx.style, width: ctx.width, audience: settings.audience, full: settings.full, commandFor };
}

/** `ndr explain <input>` for each related entry (--full): the matcher over its codes and examples, loaded only then. */
async function relatedCommands(kb: KnowledgeBase): Promise<(id: string) => string | null> {
  const { explainInputFor } = await import('../../explain/input-for.js');
  return (id) => {
    const entry = kb.byId.get(id);
    const input = entry ? explainInputFor(kb, entry) : null;
    return input === null ? null : `ndr explain ${shellJoin([input])}`;
  };
}

/** Pasted prose's reader (the phrase table, the recipient finder) is loaded only for prose: a bare code needs neither. */
let textModule: Promise<typeof import('../../explain/text.js')> | null = null;

async function explainPasted(kb: KnowledgeBase, text: string, options?: TextOptions): Promise<TextExplanation> {
  if (isBareCode(text)) return explainCode(kb, text);
  const { explainText } = await (textModule ??= import('../../explain/text.js'));
  return explainText(kb, text, options);
}

function printText(ex: TextExplanation, run: Run): void {
  const { ctx } = run;
  const rule = ctx.style.dim('-'.repeat(Math.min(ctx.width, 72)));
  const o = textOptions(run);
  const groups = o.full ? ex.findings.map((f): [typeof f, typeof ex.findings] => [f, []]) : groupByEntry(ex.findings, (f) => f);
  groups.forEach(([f, same], i) => {
    if (i > 0) writeLine(ctx.io.stdout, `\n${rule}\n`);
    writeLine(ctx.io.stdout, renderFindingText(f, o, same));
  });
}

/**
 * The command that shows the whole answer (the focused answer's last line),
 * or null when it would be long (pasted text): then the line says to add --full.
 */
function fullCommand(args: string[], audience: Audience): string | null {
  const flag = audience !== 'all' ? ` --audience ${audience}` : '';
  const command = `ndr explain ${shellJoin(args)}${flag} --full`;
  return args.length && [...command].length <= 60 ? command : null;
}

/** After a focused text answer: the line that says how to see the rest. */
function printMore({ ctx, settings, args }: Run): void {
  if (settings.full || ctx.json) return;
  writeLine(ctx.io.stdout, '');
  writeLine(ctx.io.stdout, moreLine(fullCommand(args, settings.audience), { ...ctx, audience: settings.audience }));
}

/** The MIME parser is loaded only on the first message, so that `ndr explain 5.7.1` stays fast. */
let messageModule: Promise<typeof import('../../explain/message.js')> | null = null;

/** `addressForms`: 'full' in a batch (bounce/text-util AddressForms). */
async function explainMessage(
  kb: KnowledgeBase,
  item: Extract<Item, { kind: 'message' }>,
  name: string,
  addressForms: AddressForms = 'fit',
): Promise<BounceExplanation> {
  const message = await (messageModule ??= import('../../explain/message.js'));
  try {
    return await message.explainMessage(kb, item.bytes, { sniffedAsMessage: item.sniffed === true, addressForms });
  } catch (e) {
    // Say which input it was; keep the error's class (InputTooLargeError, NotAMessageError …).
    if (e instanceof InputError) throw new (e.constructor as new (m: string) => InputError)(`${name}: ${e.message}`);
    throw e;
  }
}

function itemName(item: Item): string | null {
  if (item.file === null) return null;
  const base = item.file === '-' ? 'standard input' : item.file;
  return item.kind !== 'text' && item.message !== null ? `${base} #${item.message}` : base;
}

/** One input that failed: its error object on stdout with --json (as in a batch); main() says it (exit 3). */
function singleError(item: Extract<Item, { kind: 'error' }>, ctx: Context): CommandResult {
  if (ctx.json) writeLine(ctx.io.stdout, safeJson(errorJson(item.file, item.message, item.error.message), 2));
  return { exit: 'input', message: item.error.message };
}

const count = thousands;

/** A limit that cut the message's recipients, said under its explanation (JSON: `truncated`). */
function printTruncated(ex: BounceExplanation, ctx: Context): void {
  for (const t of ex.bounce.truncated) {
    const line = `Not all explained: the report names ${count(t.found)} ${t.what}; ndr explains the first ${count(t.limit)} (${count(t.leftOut)} left out).`;
    writeLine(
      ctx.io.stdout,
      `\n${wrap(line, ctx.width)
        .split('\n')
        .map((l) => ctx.style.bold(l))
        .join('\n')}`,
    );
  }
}

/** A folder with more files than ndr reads in one run, as said on stderr and in the text summary. */
function folderCutLine(cut: FolderCut): string {
  return `${sanitize(cut.folder)}: ${count(cut.files)} files, more than the ${count(cut.limit)} ndr reads in one run; the last ${count(cut.leftOut)} (in name order) were left out`;
}

/** The sender's address of a bounce: the domain the sender-side checks are about. */
function bounceSender(ex: BounceExplanation): string | null {
  return ex.bounce.original?.from ?? ex.bounce.to[0] ?? null;
}

async function singleChecks(links: CheckLink[], run: Run): Promise<CheckReport[] | null> {
  if (!run.settings.check) return null;
  const checks = linkedChecks(run.settings.dns);
  const reports = await checks.reportsFor(links);
  await checks.finish(run.ctx.io);
  return reports;
}

/** One input on its own: the text path keeps its JSON shape; a message prints one document. */
async function runSingle(item: Item, run: Run): Promise<CommandResult> {
  const { ctx } = run;
  if (item.kind === 'error') return singleError(item, ctx);
  if (item.kind === 'text') {
    const ex = await explainPasted(run.kb, item.text);
    const links = checkLinks(ex.findings, null);
    const reports = await singleChecks(links, run);
    if (ctx.json) writeLine(ctx.io.stdout, safeJson({ ...textJson(ex), ...checksJson(links, reports) }, 2));
    else if (ex.findings.length) {
      printText(ex, run);
      await printChecks(links, reports ?? [], ctx);
      printMore(run);
    }
    return ex.findings.length ? { exit: 'ok' } : { exit: 'nothingRecognised', message: NOTHING_FOUND };
  }
  let ex: BounceExplanation;
  try {
    ex = await explainMessage(run.kb, item, itemName(item) ?? 'input');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return singleError({ kind: 'error', file: item.file, message: item.message, error: e }, ctx);
  }
  const findings = ex.findings.map((f) => f.finding);
  const links = checkLinks(findings, bounceSender(ex));
  const reports = await singleChecks(links, run);
  if (ctx.json) writeLine(ctx.io.stdout, safeJson({ ...messageJson(ex, item.file, item.message), ...checksJson(links, reports) }, 2));
  else {
    writeLine(ctx.io.stdout, renderBounceText(ex, textOptions(run)));
    printTruncated(ex, ctx);
    await printChecks(links, reports ?? [], ctx);
    if (ex.findings.length) printMore(run);
  }
  const name = itemName(item) ?? 'input';
  if (ex.bounce.messageKind === 'not-a-bounce') {
    return {
      exit: 'nothingRecognised',
      message: `${name}: not a delivery report (no bounce, delay notice, auto-reply or feedback report found)`,
    };
  }
  if (!ex.findings.length)
    return { exit: 'nothingRecognised', message: `${name}: a delivery report, but it names no failed recipient and no code` };
  return { exit: 'ok' };
}

/** The check-mx reports of one run of `explain --check`: each domain is checked once per run, over one resolver. */
interface LinkedChecks {
  /** The reports of the domains `links` name, in their order (asked once each, then remembered). */
  reportsFor(links: CheckLink[]): Promise<CheckReport[]>;
  /** Every report of the run, each domain once, in the order first asked. */
  all(): Promise<CheckReport[]>;
  /** Says on stderr when the overall deadline cut the checks short (explain's exit code stays about the explanation). */
  finish(io: CliIo): Promise<void>;
}

function linkedChecks(settings: ResolverSettings): LinkedChecks {
  const byDomain = new Map<string, Promise<CheckReport>>();
  let dns: Promise<{
    resolver: Awaited<ReturnType<typeof import('../../dns/index.js').createResolver>>;
    runChecks: typeof import('../../checks/run.js').runChecks;
  }> | null = null;
  // The DNS client and the checks load only when a finding asks for them.
  const setup = async () => {
    const [{ createResolver }, { runChecks }] = await Promise.all([import('../../dns/index.js'), import('../../checks/run.js')]);
    const resolver = await createResolver(settings);
    return { resolver, runChecks };
  };
  const all = () => Promise.all(byDomain.values());
  return {
    async reportsFor(links) {
      const domains = links.flatMap((l) => (l.domain ? [l.domain] : []));
      if (!domains.length) return [];
      const { resolver, runChecks } = await (dns ??= setup());
      return Promise.all(
        domains.map((d) => {
          let report = byDomain.get(d);
          if (!report) byDomain.set(d, (report = runChecks(d, resolver)));
          return report;
        }),
      );
    },
    all,
    async finish(io) {
      if (!dns) return;
      const { resolver } = await dns;
      if (!resolver.deadlineReached) return;
      // A warning, not the run's end: the explanation decides the exit code.
      const { deadlineMessage } = await import('../../render/checks-text.js');
      writeLine(io.stderr, `ndr: ${deadlineMessage(resolver.deadlineMs, await all())}`);
    },
  };
}

/**
 * The trailer of a human explanation: which checks to run, or their results with --check.
 * In a batch (`later`), the results are printed once after the last message (printReports),
 * so each message lists only its commands.
 */
async function printChecks(links: CheckLink[], reports: CheckReport[], ctx: Context, later = false): Promise<void> {
  if (!links.length) return;
  if (reports.length && !later) {
    await printReports(reports, ctx);
    return;
  }
  const block = renderCheckCommands(links, { style: ctx.style, width: ctx.width, later });
  if (block !== null) writeLine(ctx.io.stdout, block);
}

async function printReports(reports: CheckReport[], ctx: Context): Promise<void> {
  if (!reports.length) return;
  const { renderCheckReport } = await import('../../render/checks-text.js');
  for (const r of reports) writeLine(ctx.io.stdout, `\n${renderCheckReport(r, { style: ctx.style, width: ctx.width })}`);
}

interface BatchState {
  summary: BatchSummary;
  explained: number;
  first: boolean;
  json: JsonLines;
  /** With --check: the run's DNS checks, each domain once. */
  checks: LinkedChecks | null;
}

async function runBatchItem(item: Item, run: Run, state: BatchState): Promise<void> {
  const { ctx } = run;
  const { stdout, stderr } = ctx.io;
  const name = itemName(item) ?? 'text';
  const separator = () => {
    if (!state.first) writeLine(stdout, '');
    state.first = false;
    writeLine(stdout, wrap(ctx.style.bold(`==> ${sanitize(name)} <==`), ctx.width, '', '    '));
  };
  const reportsFor = async (links: CheckLink[]) => (state.checks ? state.checks.reportsFor(links) : null);
  let current: Item = item;
  if (current.kind === 'message') {
    let ex: BounceExplanation;
    try {
      ex = await explainMessage(run.kb, current, name, 'full');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      current = { kind: 'error', file: current.file, message: current.message, error: e };
    }
    if (current.kind === 'message') {
      ex = ex!;
      addToSummary(
        state.summary,
        ex.findings.map((f) => f.finding),
        ex.bounce.messageKind,
      );
      if (ex.bounce.messageKind !== 'not-a-bounce' && ex.findings.length) state.explained++;
      const links = checkLinks(
        ex.findings.map((f) => f.finding),
        bounceSender(ex),
      );
      const reports = await reportsFor(links);
      if (ctx.json)
        writeLine(
          stdout,
          state.json.line({ ...messageJson(ex, current.file, current.message, state.json.entry), ...checksJson(links, reports) }),
        );
      else {
        separator();
        writeLine(stdout, renderBounceText(ex, textOptions(run)));
        printTruncated(ex, ctx);
        await printChecks(links, reports ?? [], ctx, true);
      }
      return;
    }
  }
  if (current.kind === 'error') {
    // Reported here and the batch goes on: this item's output, not the run's end.
    state.summary.errors++;
    writeLine(stderr, `ndr: ${sanitize(current.error.message)}`);
    if (ctx.json) writeLine(stdout, safeJson(errorJson(current.file, current.message, current.error.message)));
    return;
  }
  const ex = await explainPasted(run.kb, current.text, { addressForms: 'full' });
  addToSummary(state.summary, ex.findings, null);
  if (ex.findings.length) state.explained++;
  const links = checkLinks(ex.findings, null);
  const reports = await reportsFor(links);
  if (ctx.json) writeLine(stdout, safeJson({ ...textJson(ex, current.file), ...checksJson(links, reports) }));
  else {
    separator();
    if (ex.findings.length) {
      printText(ex, run);
      await printChecks(links, reports ?? [], ctx, true);
    } else writeLine(stdout, wrap(sanitize(NOTHING_FOUND), ctx.width));
  }
}

export async function runExplain(args: string[], opts: ExplainOptions, io: CliIo): Promise<CommandResult> {
  const settings = await explainSettings(opts);
  const ctx = await makeContext(io, settings.global);
  const kb = await loadKb(io, settings.global);
  const run: Run = { kb, ctx, settings, args, commandFor: settings.full ? await relatedCommands(kb) : undefined };
  const maxBytes = settings.maxBytes;
  const plan = planInputs(args, io);
  if (plan.text !== null) return runSingle({ kind: 'text', file: null, text: plan.text }, run);

  // One source that holds one message is explained alone; look at most two items ahead to know.
  // Items are read one at a time (readItems), so a large mbox is never held whole.
  let pending: { head: Item[]; rest: AsyncIterator<Item> } | null = null;
  if (!plan.batch) {
    const rest = readItems(plan.sources[0]!, io, maxBytes)[Symbol.asyncIterator]();
    const head: Item[] = [];
    let done = false;
    while (head.length < 2) {
      const r = await rest.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
    }
    if (done && head.length === 1) return runSingle(head[0]!, run);
    pending = { head, rest };
  }

  // Several inputs: one JSON object per line (or one block of text each), then a summary.
  const state: BatchState = {
    summary: emptySummary(),
    explained: 0,
    first: true,
    json: new JsonLines(),
    checks: settings.check ? linkedChecks(settings.dns) : null,
  };
  // After each item: wait for a slow reader, stop when stdout is gone or a signal came.
  const pace = outputPace(io);
  const each = async (item: Item) => {
    await runBatchItem(item, run, state);
    await pace.ready();
  };
  try {
    if (pending) {
      for (const item of pending.head) await each(item);
      for (let r = await pending.rest.next(); !r.done; r = await pending.rest.next()) await each(r.value);
    } else {
      for (const source of plan.sources) {
        for await (const item of readItems(source, io, maxBytes)) await each(item);
      }
    }
  } finally {
    pace.stop();
  }
  for (const cut of plan.cuts) {
    writeLine(io.stderr, `ndr: ${folderCutLine(cut)}`);
    if (ctx.json) writeLine(io.stdout, safeJson(folderCutJson(cut)));
  }
  if (!ctx.json) {
    if (state.checks) await printReports(await state.checks.all(), ctx);
    if (!state.first) writeLine(io.stdout, '');
    writeLine(io.stdout, renderBatchSummary(state.summary, ctx.style, ctx.width));
    for (const cut of plan.cuts) writeLine(io.stdout, wrap(ctx.style.bold(`Not all explained: ${folderCutLine(cut)}.`), ctx.width));
    if (state.explained) printMore(run);
  }
  await state.checks?.finish(io);
  // Each failed input was said as it came; the exit code sums up the run.
  if (state.summary.errors) return { exit: 'input' };
  return state.explained ? { exit: 'ok' } : { exit: 'nothingRecognised' };
}
