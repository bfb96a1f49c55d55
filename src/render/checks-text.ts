import type { CheckReport, CheckResult, CheckStatus } from '../checks/types.js';
import { sanitize } from './sanitize.js';
import type { Style } from './style.js';
import { wrap } from './wrap.js';

export interface CheckTextOptions {
  style: Style;
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

/** One line per check, the message wrapped under itself: "  PASS   mx-records    1 MX record". */
function summaryLine(c: CheckResult, idWidth: number, o: CheckTextOptions): string {
  const prefix = `  ${LABELS[c.status].padEnd(5)}  ${c.id.padEnd(idWidth)}  `;
  const hang = ' '.repeat(prefix.length);
  const body = wrap(sanitize(c.message), Math.max(o.width, prefix.length + 20), hang).slice(hang.length);
  // Colour only the label, after wrapping, so colour codes do not count as width.
  return `  ${statusLabel(c.status, o.style)}  ${o.style.bold(c.id.padEnd(idWidth))}  ${body}`;
}

function details(c: CheckResult, o: CheckTextOptions): string[] {
  const { style, width } = o;
  const lines = ['', `${statusLabel(c.status, style)} ${style.bold(c.id)}`, wrap(sanitize(c.message), width, '  ')];
  if (c.evidence.length) {
    lines.push(`  ${style.dim('seen in DNS:')}`);
    // Evidence keeps its own indentation (the SPF tree); it is not wrapped.
    for (const e of c.evidence) lines.push(`    ${sanitize(e)}`);
  }
  if (c.fix) {
    lines.push(`  ${style.dim('fix:')}`);
    c.fix.steps.forEach((step, i) => {
      const num = `${i + 1}. `;
      lines.push(wrap(sanitize(num + step), width, '    ', ' '.repeat(num.length)));
    });
    if (c.fix.kb) lines.push(`  ${style.dim('bounces this causes:')} ndr codes ${c.fix.kb}`);
    for (const d of c.fix.docs) lines.push(`  ${style.dim('read:')} ${d}`);
  }
  return lines;
}

/** The human report: one line per check, then the details of every check that does not pass. */
export function renderCheckReport(report: CheckReport, o: CheckTextOptions): string {
  const { style } = o;
  const idWidth = Math.max(...report.checks.map((c) => c.id.length));
  const servers = report.nameservers.map(sanitize).join(', ') || 'no server';
  const lines = [
    `${style.bold(`Mail DNS of ${sanitize(report.domain)} for Exchange Online`)}  ${style.dim(`(asked ${servers}: ${report.queries} questions in ${report.rounds} round${report.rounds === 1 ? '' : 's'}, ${report.elapsedMs} ms)`)}`,
    '',
    ...report.checks.map((c) => summaryLine(c, idWidth, o)),
  ];
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
