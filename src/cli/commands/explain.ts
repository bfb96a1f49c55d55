import type { BounceExplanation } from '../../bounce/explain.js';
import { InputError } from '../../core/errors.js';
import { explainInputFor } from '../../knowledge/command.js';
import { explainText, type TextExplanation } from '../../knowledge/explain.js';
import type { KnowledgeBase } from '../../knowledge/types.js';
import { addToSummary, emptySummary, renderBatchSummary, renderBounceText, type BatchSummary } from '../../render/bounce-text.js';
import { entryToJson, findingToJson, JsonLines, type EntryWriter } from '../../render/entry-json.js';
import { groupByEntry, moreLine, renderFindingText, type Audience } from '../../render/finding-text.js';
import { shellJoin } from '../../render/shell-quote.js';
import { safeJson, sanitize } from '../../render/sanitize.js';
import { wrap } from '../../render/wrap.js';
import { loadKb, makeContext, type Context, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit.js';
import { planInputs, readItems, type FolderCut, type Item } from '../inputs.js';
import { outputPace, writeLine, type CliIo } from '../io.js';
import { parseSize } from '../read-input.js';
import { checkLinks, type CheckLink } from '../check-links.js';
import { checkReportJson, deadlineLine } from './check-mx.js';
import { resolverSettings } from '../dns-options.js';

export interface ExplainOptions extends GlobalOptions {
  audience?: Audience;
  full?: boolean;
  maxSize?: string;
  check?: boolean;
  nameserver?: string[];
  timeout?: string;
  deadline?: string;
}

export const SCHEMA_VERSION = 1;

const NOTHING_FOUND =
  'no status code or known NDR text found in the input. Give a code such as 5.7.1, a reply such as "550 5.1.10", or paste the diagnostic line of the bounce.';

function textOptions(ctx: Context, opts: ExplainOptions, kb: KnowledgeBase) {
  const commandFor = (id: string) => {
    const entry = kb.byId.get(id);
    const input = entry ? explainInputFor(kb, entry) : null;
    return input === null ? null : `ndr explain ${shellJoin([input])}`;
  };
  return { style: ctx.style, width: ctx.width, audience: opts.audience ?? 'all', full: Boolean(opts.full), commandFor };
}

function printText(ex: TextExplanation, ctx: Context, opts: ExplainOptions, kb: KnowledgeBase): void {
  const rule = ctx.style.dim('-'.repeat(Math.min(ctx.width, 72)));
  const o = textOptions(ctx, opts, kb);
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
function fullCommand(args: string[], opts: ExplainOptions): string | null {
  const audience = opts.audience && opts.audience !== 'all' ? ` --audience ${opts.audience}` : '';
  const command = `ndr explain ${shellJoin(args)}${audience} --full`;
  return args.length && [...command].length <= 60 ? command : null;
}

/** After a focused text answer: the line that says how to see the rest. */
function printMore(args: string[], ctx: Context, opts: ExplainOptions): void {
  if (opts.full || ctx.json) return;
  writeLine(ctx.io.stdout, '');
  writeLine(ctx.io.stdout, moreLine(fullCommand(args, opts), { ...ctx, audience: opts.audience ?? 'all' }));
}

function textJson(ex: TextExplanation, file?: string | null) {
  return { schemaVersion: SCHEMA_VERSION, ...(file !== undefined ? { file } : {}), input: ex.input, kind: ex.kind, findings: ex.findings.map((f) => findingToJson(f)) };
}

/** The JSON document of one message (README documents the shape). */
function messageJson(ex: BounceExplanation, file: string, message: number | null, entry: EntryWriter = entryToJson) {
  const b = ex.bounce;
  return {
    schemaVersion: SCHEMA_VERSION,
    file,
    ...(message !== null ? { message } : {}),
    kind: 'message',
    messageKind: b.messageKind,
    layout: b.layout,
    language: b.language,
    generatingServer: b.generatingServer,
    reportingMta: b.reportingMta,
    arrivalDate: b.arrivalDate,
    subject: b.subject,
    from: b.from,
    to: b.to,
    date: b.date,
    original: b.original,
    exchange: b.exchange,
    feedback: b.feedback,
    hints: b.hints,
    truncated: b.truncated,
    findings: ex.findings.map((f) => ({
      ...findingToJson(f.finding, entry),
      statusInferred: f.record.statusInferred,
      action: f.record.action,
      command: f.record.command,
      originalRecipient: f.record.originalRecipient,
      source: f.record.source,
    })),
  };
}

function errorJson(item: Extract<Item, { kind: 'error' }>) {
  return { schemaVersion: SCHEMA_VERSION, file: item.file, ...(item.message !== null ? { message: item.message } : {}), error: { code: 'input', message: item.error.message } };
}

/** The MIME parser is loaded only on the first message, so that `ndr explain 5.7.1` stays fast. */
let bounceModule: Promise<typeof import('../../bounce/index.js')> | null = null;

async function explainMessage(kb: KnowledgeBase, item: Extract<Item, { kind: 'message' }>, name: string): Promise<BounceExplanation> {
  const { parseBounce, explainBounce } = await (bounceModule ??= import('../../bounce/index.js'));
  try {
    return explainBounce(kb, await parseBounce(item.bytes, { sniffedAsMessage: item.sniffed === true }));
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

/** One input that failed: its error object on stdout with --json (as in a batch), one `ndr:` line, exit 3. */
function singleError(item: Extract<Item, { kind: 'error' }>, ctx: Context): number {
  if (ctx.json) writeLine(ctx.io.stdout, safeJson(errorJson(item), 2));
  writeLine(ctx.io.stderr, `ndr: ${sanitize(item.error.message)}`);
  return EXIT.input;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A limit that cut the message's recipients, said under its explanation (JSON: `truncated`). */
function printTruncated(ex: BounceExplanation, ctx: Context): void {
  for (const t of ex.bounce.truncated) {
    const line = `Not all explained: the report names ${count(t.found)} ${t.what}; ndr explains the first ${count(t.limit)} (${count(t.leftOut)} left out).`;
    writeLine(ctx.io.stdout, `\n${wrap(line, ctx.width).split('\n').map((l) => ctx.style.bold(l)).join('\n')}`);
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

async function singleChecks(links: CheckLink[], opts: ExplainOptions, io: CliIo): Promise<CheckReportT[]> {
  const checks = linkedChecks(opts);
  const reports = await checks.reportsFor(links);
  await checks.finish(io);
  return reports;
}

/** One input on its own: the text path keeps its JSON shape; a message prints one document. */
async function runSingle(item: Item, kb: KnowledgeBase, ctx: Context, opts: ExplainOptions, args: string[]): Promise<number> {
  if (item.kind === 'error') return singleError(item, ctx);
  if (item.kind === 'text') {
    const ex = explainText(kb, item.text);
    const links = checkLinks(ex.findings, null);
    const reports = opts.check ? await singleChecks(links, opts, ctx.io) : [];
    if (ctx.json) writeLine(ctx.io.stdout, safeJson({ ...textJson(ex), ...checksJson(links, reports, opts) }, 2));
    else if (ex.findings.length) {
      printText(ex, ctx, opts, kb);
      await printChecks(links, reports, ctx);
      printMore(args, ctx, opts);
    }
    if (!ex.findings.length) {
      writeLine(ctx.io.stderr, `ndr: ${sanitize(NOTHING_FOUND)}`);
      return EXIT.notFound;
    }
    return EXIT.ok;
  }
  let ex: BounceExplanation;
  try {
    ex = await explainMessage(kb, item, itemName(item) ?? 'input');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return singleError({ kind: 'error', file: item.file, message: item.message, error: e }, ctx);
  }
  const findings = ex.findings.map((f) => f.finding);
  const links = checkLinks(findings, bounceSender(ex));
  const reports = opts.check ? await singleChecks(links, opts, ctx.io) : [];
  if (ctx.json) writeLine(ctx.io.stdout, safeJson({ ...messageJson(ex, item.file, item.message), ...checksJson(links, reports, opts) }, 2));
  else {
    writeLine(ctx.io.stdout, renderBounceText(ex, textOptions(ctx, opts, kb)));
    printTruncated(ex, ctx);
    await printChecks(links, reports, ctx);
    if (ex.findings.length) printMore(args, ctx, opts);
  }
  if (ex.bounce.messageKind === 'not-a-bounce') {
    writeLine(ctx.io.stderr, `ndr: ${sanitize(itemName(item) ?? 'input')}: not a delivery report (no bounce, delay notice, auto-reply or feedback report found)`);
    return EXIT.notFound;
  }
  if (!ex.findings.length) {
    writeLine(ctx.io.stderr, `ndr: ${sanitize(itemName(item) ?? 'input')}: a delivery report, but it names no failed recipient and no code`);
    return EXIT.notFound;
  }
  return EXIT.ok;
}

type CheckReportT = Awaited<ReturnType<typeof import('../../checks/run.js').runChecks>>;

/** The check-mx reports of one run of `explain --check`: each domain is checked once per run, over one resolver. */
interface LinkedChecks {
  /** The reports of the domains `links` name, in their order (asked once each, then remembered). */
  reportsFor(links: CheckLink[]): Promise<CheckReportT[]>;
  /** Every report of the run, each domain once, in the order first asked. */
  all(): Promise<CheckReportT[]>;
  /** Says on stderr when the overall deadline cut the checks short (explain's exit code stays about the explanation). */
  finish(io: CliIo): Promise<void>;
}

function linkedChecks(opts: ExplainOptions): LinkedChecks {
  const byDomain = new Map<string, Promise<CheckReportT>>();
  let dns: Promise<{ resolver: Awaited<ReturnType<typeof import('../../dns/index.js').createResolver>>; runChecks: typeof import('../../checks/run.js').runChecks }> | null = null;
  // The DNS client and the checks load only when a finding asks for them.
  const setup = async () => {
    const [{ createResolver }, { runChecks }] = await Promise.all([import('../../dns/index.js'), import('../../checks/run.js')]);
    const resolver = await createResolver(resolverSettings(opts));
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
      if (resolver.deadlineReached) writeLine(io.stderr, deadlineLine(resolver.deadlineMs, await all()));
    },
  };
}

function checksJson(links: CheckLink[], reports: CheckReportT[], opts: ExplainOptions) {
  return {
    checkCommands: links.map((l) => l.command),
    ...(opts.check ? { checkReports: reports.map(checkReportJson) } : {}),
  };
}

/**
 * The trailer of a human explanation: which checks to run, or their results with --check.
 * In a batch (`later`), the results are printed once after the last message (printReports),
 * so each message lists only its commands.
 */
async function printChecks(links: CheckLink[], reports: CheckReportT[], ctx: Context, later = false): Promise<void> {
  if (!links.length) return;
  if (reports.length && !later) {
    await printReports(reports, ctx);
    return;
  }
  // A command with a placeholder (the input does not name the domain) is not printed: nobody can run it as it is.
  const runnable = links.filter((l) => l.domain);
  if (!runnable.length) return;
  writeLine(ctx.io.stdout, '');
  writeLine(ctx.io.stdout, ctx.style.heading('Check the DNS'));
  for (const l of runnable) writeLine(ctx.io.stdout, wrap(ctx.style.bold(sanitize(l.command)), ctx.width, '  ', '  '));
  writeLine(ctx.io.stdout, ctx.style.dim(later ? '  (the results follow the last message)' : '  (or run ndr explain again with --check)'));
}

async function printReports(reports: CheckReportT[], ctx: Context): Promise<void> {
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

async function runBatchItem(item: Item, kb: KnowledgeBase, ctx: Context, opts: ExplainOptions, state: BatchState): Promise<void> {
  const { stdout, stderr } = ctx.io;
  const name = itemName(item) ?? 'text';
  const separator = () => {
    if (!state.first) writeLine(stdout, '');
    state.first = false;
    writeLine(stdout, wrap(ctx.style.bold(`==> ${sanitize(name)} <==`), ctx.width, '', '    '));
  };
  let current: Item = item;
  if (current.kind === 'message') {
    let ex: BounceExplanation;
    try {
      ex = await explainMessage(kb, current, name);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      current = { kind: 'error', file: current.file, message: current.message, error: e };
    }
    if (current.kind === 'message') {
      ex = ex!;
      addToSummary(state.summary, ex.findings.map((f) => f.finding), ex.bounce.messageKind);
      if (ex.bounce.messageKind !== 'not-a-bounce' && ex.findings.length) state.explained++;
      const links = checkLinks(ex.findings.map((f) => f.finding), bounceSender(ex));
      const reports = state.checks ? await state.checks.reportsFor(links) : [];
      if (ctx.json) writeLine(stdout, state.json.line({ ...messageJson(ex, current.file, current.message, state.json.entry), ...checksJson(links, reports, opts) }));
      else {
        separator();
        writeLine(stdout, renderBounceText(ex, textOptions(ctx, opts, kb)));
        printTruncated(ex, ctx);
        await printChecks(links, reports, ctx, true);
      }
      return;
    }
  }
  if (current.kind === 'error') {
    state.summary.errors++;
    writeLine(stderr, `ndr: ${sanitize(current.error.message)}`);
    if (ctx.json) writeLine(stdout, safeJson(errorJson(current)));
    return;
  }
  const ex = explainText(kb, current.text);
  addToSummary(state.summary, ex.findings, null);
  if (ex.findings.length) state.explained++;
  const links = checkLinks(ex.findings, null);
  const reports = state.checks ? await state.checks.reportsFor(links) : [];
  if (ctx.json) writeLine(stdout, safeJson({ ...textJson(ex, current.file), ...checksJson(links, reports, opts) }));
  else {
    separator();
    if (ex.findings.length) {
      printText(ex, ctx, opts, kb);
      await printChecks(links, reports, ctx, true);
    } else writeLine(stdout, wrap(sanitize(NOTHING_FOUND), ctx.width));
  }
}

export async function runExplain(args: string[], opts: ExplainOptions, io: CliIo): Promise<number> {
  const ctx = await makeContext(io, opts);
  const maxBytes = parseSize(opts.maxSize);
  const kb = await loadKb(io, opts);
  const plan = planInputs(args, io);
  if (plan.text !== null) return runSingle({ kind: 'text', file: null, text: plan.text }, kb, ctx, opts, args);

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
    if (done && head.length === 1) return runSingle(head[0]!, kb, ctx, opts, args);
    pending = { head, rest };
  }

  // Several inputs: one JSON object per line (or one block of text each), then a summary.
  (await (bounceModule ??= import('../../bounce/index.js'))).useFullAddressPatterns();
  const state: BatchState = { summary: emptySummary(), explained: 0, first: true, json: new JsonLines(), checks: opts.check ? linkedChecks(opts) : null };
  // After each item: wait for a slow reader, stop when stdout is gone or a signal came.
  const pace = outputPace(io);
  const each = async (item: Item) => {
    await runBatchItem(item, kb, ctx, opts, state);
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
    if (ctx.json) writeLine(io.stdout, safeJson({ schemaVersion: SCHEMA_VERSION, file: cut.folder, kind: 'truncated', truncated: [{ what: 'files', limit: cut.limit, found: cut.files, leftOut: cut.leftOut }] }));
  }
  if (!ctx.json) {
    if (state.checks) await printReports(await state.checks.all(), ctx);
    if (!state.first) writeLine(io.stdout, '');
    writeLine(io.stdout, renderBatchSummary(state.summary, ctx.style, ctx.width));
    for (const cut of plan.cuts) writeLine(io.stdout, wrap(ctx.style.bold(`Not all explained: ${folderCutLine(cut)}.`), ctx.width));
    if (state.explained) printMore(args, ctx, opts);
  }
  await state.checks?.finish(io);
  if (state.summary.errors) return EXIT.input;
  return state.explained ? EXIT.ok : EXIT.notFound;
}

