/**
 * Text for the wizard's blocks (diagnosis, solution, note, check results,
 * commands). Pure; every string that may come from the bounce, a DNS answer or
 * a user-supplied knowledge base passes the one sanitiser.
 */
import type { Finding } from '../core/finding.js';
import type { Step } from '../knowledge/types.js';
import { lifetimeOf, ownerPicture } from '../render/finding-text.js';
import { sanitize } from '../render/sanitize.js';
import type { Style } from '../render/style.js';
import { wrap } from '../render/wrap.js';
import { roleName, type Block, type CheckStatus } from './flow.js';
import type { Note } from './note.js';
import { shellJoin } from './shell-quote.js';

export interface RenderOptions {
  style: Style;
  width: number;
}

function renderDiagnosis(f: Finding, o: RenderOptions): string[] {
  const { style, width } = o;
  const entry = f.match?.entry ?? null;
  const code = [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
  const title = entry?.title ?? f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'Unknown code';
  const lifetime = lifetimeOf(f, style);
  const lines = ['', `${style.bold(sanitize(code))}  ${style.bold(sanitize(title))}${lifetime ? `  (${lifetime})` : ''}`];
  if (f.recipient) lines.push(`  ${style.dim('recipient:')} ${sanitize(f.recipient)}`);
  if (f.remoteMta) lines.push(`  ${style.dim('remote server:')} ${sanitize(f.remoteMta)}`);
  if (f.wrappedBy) lines.push(`  ${style.dim(`the remote server's own reply, wrapped by Exchange in ${sanitize(f.wrappedBy)}`)}`);
  if (f.diagnostic) lines.push(wrap(sanitize(`diagnostic: ${f.diagnostic.replace(/\s+/g, ' ').slice(0, 600)}`), width, '  ', '  '));
  if (entry) {
    lines.push('', `  ${style.heading('What it means')}`, wrap(sanitize(entry.summary), width, '    '));
    lines.push('', `  ${style.heading('Who must act')}`, ...ownerPicture(entry.owner, style));
  } else if (f.generic) {
    const g = f.generic;
    lines.push('', `  ${style.heading('What the code means (RFC 3463; ndr has no specific entry)')}`);
    if (g.class) lines.push(wrap(`${g.class.name}. ${g.class.meaning}`, width, '    ', '  '));
    if (g.subject) lines.push(wrap(`${g.subject.name}. ${g.subject.meaning}`, width, '    ', '  '));
    if (g.detail) lines.push(wrap(`${g.detail.code}: ${g.detail.name}`, width, '    ', '  '));
    if (g.replyCode) lines.push(wrap(`reply ${g.replyCode.code}: ${g.replyCode.meaning}`, width, '    ', '  '));
  }
  lines.push('');
  return lines;
}

function renderSteps(steps: Step[], width: number, indent: string): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    const num = `${i + 1}. `;
    lines.push(wrap(sanitize(num + (typeof step === 'string' ? step : step.text)), width, indent, ' '.repeat(num.length)));
    if (typeof step !== 'string') {
      step.substeps.forEach((sub, j) => {
        const mark = `${String.fromCharCode(97 + (j % 26))}. `;
        lines.push(wrap(sanitize(mark + sub), width, `${indent}   `, ' '.repeat(mark.length)));
      });
    }
  });
  return lines;
}

function renderSolution(b: Extract<Block, { kind: 'solution' }>, o: RenderOptions): string[] {
  const { style, width } = o;
  const lines = ['', `  ${style.heading(`Solution ${b.letter} (of ${b.total}): ${sanitize(b.solution.title)}`)}`];
  if (b.handoff && b.actor) {
    const you = b.audience === 'sender' ? 'you cannot do this one yourself' : 'someone outside the admin team does this';
    lines.push(wrap(`This one is for ${roleName(b.actor, b.audience)}: ${you}. ndr can print a note to send them.`, width, '  '));
    lines[lines.length - 1] = style.yellow(lines[lines.length - 1]!);
  } else if (b.actor && b.actor !== 'sender') {
    lines.push(`  ${style.dim(`(done by ${roleName(b.actor, b.audience)})`)}`);
  }
  lines.push(...renderSteps(b.solution.steps, width, '    '), '');
  return lines;
}

function renderNote(note: Note, o: RenderOptions): string[] {
  const { style } = o;
  const rule = (text: string) => style.dim(`  ----- ${text} -----`);
  return [
    '',
    rule(`note for ${note.addresseeName} (copy from here)`),
    `  Subject: ${sanitize(note.subject)}`,
    '',
    ...note.lines.map((l) => (l ? `  ${sanitize(l)}` : '')),
    rule('end of note'),
    '',
  ];
}

/** Evidence lines shown per check; ndr check-mx prints the rest. */
const MAX_EVIDENCE = 4;

const MARKS: Record<CheckStatus, string> = { pass: '[ ok ]', warn: '[warn]', fail: '[FAIL]', error: '[ ?? ]' };

function renderChecks(b: Extract<Block, { kind: 'checks' }>, o: RenderOptions): string[] {
  const { style, width } = o;
  const colour = (s: CheckStatus) => (s === 'pass' ? style.green : s === 'warn' ? style.yellow : s === 'fail' ? style.red : style.dim);
  const lines = ['', `  ${style.heading(`DNS checks for ${sanitize(b.domain)}`)}`];
  if (!b.results.length) lines.push('    (no checks ran)');
  b.results.forEach((r, i) => {
    // Wrap before colouring: wrap() counts escape sequences as columns.
    const line = wrap(`${MARKS[r.status]} ${sanitize(r.check.toUpperCase())}: ${sanitize(r.summary)}`, width, '    ', '           ');
    lines.push(line.replace(MARKS[r.status], colour(r.status)(MARKS[r.status])));
    if (r.status === 'pass') return;
    for (const e of r.evidence.slice(0, MAX_EVIDENCE)) lines.push(style.dim(wrap(sanitize(e), width, '           ', '  ')));
    if (r.evidence.length > MAX_EVIDENCE) lines.push(style.dim(`           (${r.evidence.length - MAX_EVIDENCE} more lines: ndr check-mx shows them all)`));
    if (r.fix.length) lines.push('           what to do:');
    r.fix.forEach((step, n) => lines.push(wrap(sanitize(`${n + 1}. ${step}`), width, '             ', '   ')));
    // Links stay whole on one line, so they can be copied.
    for (const see of r.see) lines.push(`           see: ${sanitize(see)}`);
    const pointer = b.pointers[i];
    if (pointer) lines.push(wrap(sanitize(`-> see ${pointer}`), width, '           ', '   '));
    if (r.status === 'error') lines.push(wrap('could not check (not the same as "missing"): try again, or ask another resolver', width, '           ', '   '));
  });
  lines.push('');
  return lines;
}

function renderCommands(commands: string[][], o: RenderOptions): string[] {
  return ['', `  ${o.style.heading('To repeat this without the questions')}`, ...commands.map((argv) => `    $ ${shellJoin(argv)}`), ''];
}

export function renderBlock(b: Block, o: RenderOptions): string {
  switch (b.kind) {
    case 'diagnosis':
      return renderDiagnosis(b.finding, o).join('\n');
    case 'solution':
      return renderSolution(b, o).join('\n');
    case 'note':
      return renderNote(b.note, o).join('\n');
    case 'checks':
      return renderChecks(b, o).join('\n');
    case 'message':
      return ['', wrap(sanitize(b.text), o.width, '  ')].join('\n');
    case 'commands':
      return renderCommands(b.commands, o).join('\n');
  }
}
