import { reportOutcome, unreachableReason } from '../checks/outcome.js';
import type { CheckReport, CheckResult, CheckStatus, Evidence, SpfLookupBreakdown } from '../checks/types.js';
import { sanitize } from './sanitize.js';
import type { Style } from './style.js';
import { fitLines } from './fit.js';

export interface CheckTextOptions {
  style: Style;
  /** Columns; every line fits (words are not broken, except one longer than a line). */
  width: number;
}

const LABELS: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR' };

export function statusLabel(status: CheckStatus, style: Style): string {
  const text = LABELS[status].padEnd(5);
  switch (status) {
    case 'pass':
      return style.green(text);
    case 'warn':
      return style.yellow(text);
    case 'fail':
      return style.red(style.bold(text));
    case 'error':
      return style.cyan(text);
  }
}

/** A record as in a zone file, "contoso.com MX 0 host"; a lookup without records says what it found. */
export function evidenceLine(e: Evidence): string {
  if (e.value === null) return `${e.name} ${e.type}: ${e.detail ?? e.status}`;
  const value = e.type === 'TXT' ? (e.strings ?? [e.value]).map((s) => JSON.stringify(s)).join(' ') : e.value;
  return `${e.name} ${e.type} ${value}`;
}

/** One line per check, the message wrapped under itself: "  PASS   mx-records    1 MX record". */
function summaryLine(c: CheckResult, idWidth: number, o: CheckTextOptions): string {
  const prefix = `  ${LABELS[c.status].padEnd(5)}  ${c.id.padEnd(idWidth)}  `;
  const hang = ' '.repeat(prefix.length);
  // A terminal too narrow for the message beside the label (or for one of its
  // words, a long host name): the message goes under the label, words whole.
  const message = sanitize(c.message);
  const room = o.width - prefix.length;
  const roomy = room >= 24 && message.split(/\s+/).every((w) => w.length <= room);
  // Colour only the label, after wrapping, so colour codes do not count as width.
  if (!roomy) return `  ${statusLabel(c.status, o.style).trimEnd()}  ${o.style.bold(c.id)}\n${fitLines(message, o.width, '    ', '  ')}`;
  const body = fitLines(message, o.width, hang).slice(hang.length);
  return `  ${statusLabel(c.status, o.style)}  ${o.style.bold(c.id.padEnd(idWidth))}  ${body}`;
}

/** The SPF terms that count against the limit, one lookup a row, and their sum. */
function spfLookupLines(b: SpfLookupBreakdown, o: CheckTextOptions): string[] {
  const { style, width } = o;
  const num = (n: number) => String(n).padStart(3);
  const lines = [`  ${style.dim(`SPF lookups (RFC 7208 §4.6.4 allows ${b.limit}, and ${b.voidLimit} void):`)}`];
  for (const r of b.rows) {
    const label = `${r.term}${r.void ? ' (void)' : ''}${r.note ? ` (${r.note})` : ''}`;
    const lead = `    ${num(r.lookups)}  `;
    const text = fitLines(sanitize(label), width, ' '.repeat(lead.length + 2 * r.depth), '  ');
    lines.push(lead + text.slice(lead.length));
  }
  lines.push(`    ${num(b.total)}  ${b.total === 1 ? 'lookup' : 'lookups'} in all, ${b.voidLookups} void`);
  return lines;
}

function details(c: CheckResult, o: CheckTextOptions): string[] {
  const { style, width } = o;
  const lines = ['', `${statusLabel(c.status, style)} ${style.bold(c.id)}`, fitLines(sanitize(c.message), width, '  ')];
  if (c.evidence.length) {
    lines.push(`  ${style.dim('seen in DNS:')}`);
    for (const e of c.evidence) lines.push(fitLines(sanitize(evidenceLine(e)), width, '    ', '  '));
  }
  if (c.spfLookups && c.spfLookups.rows.length) lines.push(...spfLookupLines(c.spfLookups, o));
  if (c.fix) {
    lines.push(`  ${style.dim('fix:')}`);
    c.fix.steps.forEach((step, i) => {
      const num = `${i + 1}. `;
      lines.push(fitLines(sanitize(num + step), width, '    ', ' '.repeat(num.length)));
    });
    if (c.fix.kb)
      lines.push(
        fitLines(`bounces this causes: ndr codes ${c.fix.kb}`, width, '  ', '  ').replace(
          'bounces this causes:',
          style.dim('bounces this causes:'),
        ),
      );
    // A link on its own line, so it can be copied (cut only when longer than a line).
    for (const d of c.fix.docs) lines.push(`  ${style.dim('read:')}`, fitLines(d, width, '    '));
  }
  return lines;
}

function header(report: CheckReport, o: CheckTextOptions): string[] {
  const { style, width } = o;
  const servers = report.nameservers.map(sanitize).join(', ') || 'no server';
  const title = fitLines(`Mail DNS of ${sanitize(report.domain)} for Exchange Online`, width);
  const asked = fitLines(
    `(asked ${servers}: ${report.queries} questions in ${report.rounds} round${report.rounds === 1 ? '' : 's'}, ${report.elapsedMs} ms)`,
    width,
  );
  return [...title.split('\n').map(style.bold), ...asked.split('\n').map(style.dim)];
}

/**
 * The human report: one line per check, then the details of every check that
 * does not pass. When no question got an answer, one line says so instead.
 */
export function renderCheckReport(report: CheckReport, o: CheckTextOptions): string {
  const { style } = o;
  if (reportOutcome(report) === 'unreachable') {
    const lead = `Mail DNS of ${sanitize(report.domain)}:`;
    return fitLines(`${lead} not checked: ${sanitize(unreachableReason(report))}`, o.width, '', '  ').replace(lead, style.bold(lead));
  }
  const idWidth = Math.max(...report.checks.map((c) => c.id.length));
  const lines = [...header(report, o), '', ...report.checks.map((c) => summaryLine(c, idWidth, o))];
  // A failure that only follows from another check's ("see mx-records") has no fix of its own: its line says it all.
  // The same unanswered lookup behind several checks is explained once.
  const explained = new Set<string>();
  const notPassing = report.checks.filter((c) => {
    if (c.status === 'pass' || (c.fix === null && c.status !== 'error')) return false;
    if (c.status !== 'error') return true;
    if (explained.has(c.message)) return false;
    explained.add(c.message);
    return true;
  });
  for (const c of notPassing) lines.push(...details(c, o));
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('warn')} warning${count('warn') === 1 ? '' : 's'}`, `${count('fail')} failed`];
  if (count('error')) parts.push(`${count('error')} could not be checked`);
  lines.push('', parts.join(', '));
  return lines.join('\n');
}

/** What ndr says when the overall DNS deadline cut the checks short (check-mx, explain --check), without the `ndr: `. */
export function deadlineMessage(deadlineMs: number, reports: { unanswered: number; queries: number }[]): string {
  const unanswered = reports.reduce((n, r) => n + r.unanswered, 0);
  const queries = reports.reduce((n, r) => n + r.queries, 0);
  return `stopped at the overall DNS deadline of ${deadlineMs / 1000} s (--deadline): ${unanswered} of ${queries} lookups got no answer, so the results are incomplete`;
}
