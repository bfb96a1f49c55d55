/**
 * Text for the wizard's blocks (diagnosis, solution, note, check results,
 * commands). Pure; every string that may come from the bounce, a DNS answer or
 * a user-supplied knowledge base passes the one sanitiser.
 */
import type { CheckResult, CheckStatus } from '../checks/types.js';
import type { Finding } from '../explain/finding.js';
import type { Block, Note } from './wizard-blocks.js';
import { evidenceLine } from './checks-text.js';
import { fitLines as wrap } from './fit.js';
import { lifetimeOf, ownerPicture } from './finding-text.js';
import { contactName } from './roles.js';
import { sanitize } from './sanitize.js';
import { printableArg, quoteArg } from './shell-quote.js';
import { renderSteps } from './steps.js';
import { plainStyle, type Style } from './style.js';

export interface RenderOptions {
  style: Style;
  width: number;
}

/** Parts two spaces apart on as few lines as fit; a part too long for a line is wrapped on its own. */
function joinParts(parts: string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line && line.length + 2 + part.length <= width) line += `  ${part}`;
    else {
      if (line) out.push(line);
      const pieces = wrap(part, width, '', '  ').split('\n');
      line = pieces.pop()!;
      out.push(...pieces);
    }
  }
  if (line) out.push(line);
  return out;
}

function renderDiagnosis(f: Finding, o: RenderOptions): string[] {
  const { style, width } = o;
  const entry = f.match?.entry ?? null;
  const code = [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
  const title = entry?.title ?? f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'Unknown code';
  // Wrapped before colouring: wrap() counts escape sequences as columns.
  const plainLifetime = lifetimeOf(f, plainStyle);
  const lifetimeText = plainLifetime ? `(${plainLifetime})` : '';
  const lifetime = plainLifetime ? `(${lifetimeOf(f, style)})` : '';
  const headline = joinParts([sanitize(code), sanitize(title), lifetimeText].filter(Boolean), width);
  const lines = [
    '',
    ...headline.map((l) =>
      lifetimeText && l.endsWith(lifetimeText) ? `${style.bold(l.slice(0, -lifetimeText.length))}${lifetime}` : style.bold(l),
    ),
  ];
  const labelled = (label: string, value: string) =>
    wrap(`${label} ${sanitize(value)}`, width, '  ', '  ').replace(label, style.dim(label));
  if (f.recipient) lines.push(labelled('recipient:', f.recipient));
  if (f.remoteMta) lines.push(labelled('remote server:', f.remoteMta));
  if (f.wrappedBy)
    lines.push(style.dim(wrap(`the remote server's own reply, wrapped by Exchange in ${sanitize(f.wrappedBy)}`, width, '  ', '  ')));
  if (f.diagnostic) lines.push(wrap(sanitize(`diagnostic: ${f.diagnostic.replace(/\s+/g, ' ').slice(0, 600)}`), width, '  ', '  '));
  if (entry) {
    lines.push('', `  ${style.heading('What it means')}`, wrap(sanitize(entry.summary), width, '    '));
    // The picture when it fits the terminal, else the same in words.
    const fits = ownerPicture(entry.owner, plainStyle).every((l) => l.length <= width);
    const inWords = wrap(entry.owner.map((r) => contactName(r)).join(', '), width, '    ', '  ');
    lines.push('', `  ${style.heading('Who must act')}`, ...(fits ? ownerPicture(entry.owner, style) : [inWords]));
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

function renderSolution(b: Extract<Block, { kind: 'solution' }>, o: RenderOptions): string[] {
  const { style, width } = o;
  const lines = [
    '',
    ...wrap(`Solution ${b.letter} (of ${b.total}): ${sanitize(b.solution.title)}`, width, '  ', '  ')
      .split('\n')
      .map(style.heading),
  ];
  if (b.handoff && b.actor) {
    const you = b.audience === 'sender' ? 'you cannot do this one yourself' : 'someone outside the admin team does this';
    lines.push(wrap(`This one is for ${contactName(b.actor, b.audience)}: ${you}. ndr can print a note to send them.`, width, '  '));
    lines[lines.length - 1] = style.yellow(lines[lines.length - 1]!);
  } else if (b.actor && b.actor !== 'sender') {
    lines.push(style.dim(wrap(`(done by ${contactName(b.actor, b.audience)})`, width, '  ')));
  }
  lines.push(...renderSteps(b.solution.steps, { width, indent: '    ', fit: wrap }), '');
  return lines;
}

/**
 * A note line wrapped under itself: a numbered or lettered item under its
 * text, a "Label:  value" line under its value.
 */
function noteLine(line: string, width: number): string {
  if (!line) return '';
  const indent = `  ${/^ */.exec(line)![0]}`;
  const body = line.trimStart();
  const hang = /^(?:[0-9]+|[A-Za-z])\. /.exec(body)?.[0] ?? /^[A-Z][A-Za-z ]*: +/.exec(body)?.[0] ?? '';
  return wrap(sanitize(body), width, indent, ' '.repeat(hang.length));
}

function renderNote(note: Note, o: RenderOptions): string[] {
  const { style, width } = o;
  const rule = (text: string) => style.dim(wrap(`----- ${text} -----`, width, '  '));
  return [
    '',
    rule(`note for ${note.addresseeName} (copy from here)`),
    wrap(`Subject: ${sanitize(note.subject)}`, width, '  ', '         '),
    '',
    ...note.lines.map((l) => noteLine(l, width)),
    rule('end of note'),
    '',
  ];
}

/** Evidence lines shown per check; ndr check-mx prints the rest. */
const MAX_EVIDENCE = 4;

const MARKS: Record<CheckStatus, string> = { pass: '[ ok ]', warn: '[warn]', fail: '[FAIL]', error: '[ ?? ]' };

/** Where to read more about a check's fix: the bounces it causes (a KB entry), then documentation. */
function seeLines(r: CheckResult): string[] {
  return r.fix ? [...(r.fix.kb ? [`ndr codes ${r.fix.kb} (the bounces this causes)`] : []), ...r.fix.docs] : [];
}

function renderChecks(b: Extract<Block, { kind: 'checks' }>, o: RenderOptions): string[] {
  const { style, width } = o;
  const colour = (s: CheckStatus) => (s === 'pass' ? style.green : s === 'warn' ? style.yellow : s === 'fail' ? style.red : style.dim);
  const lines = ['', style.heading(wrap(`DNS checks for ${sanitize(b.domain)}`, width, '  '))];
  if (!b.results.length) lines.push('    (no checks ran)');
  // Nothing could be asked: said once, not once per check.
  if (b.results.length > 1 && b.results.every((r) => r.status === 'error')) {
    const line = wrap(`${MARKS.error} nothing could be checked: ${sanitize(b.results[0]!.message)}`, width, '    ', '           ');
    lines.push(line.replace(MARKS.error, colour('error')(MARKS.error)));
    lines.push(wrap('(not the same as "missing"): try again, or ask another resolver with --nameserver', width, '           ', '   '), '');
    return lines;
  }
  b.results.forEach((r, i) => {
    // Wrap before colouring: wrap() counts escape sequences as columns.
    const line = wrap(`${MARKS[r.status]} ${sanitize(r.id.toUpperCase())}: ${sanitize(r.message)}`, width, '    ', '           ');
    lines.push(line.replace(MARKS[r.status], colour(r.status)(MARKS[r.status])));
    if (r.status === 'pass') return;
    const evidence = r.evidence.map(evidenceLine);
    for (const e of evidence.slice(0, MAX_EVIDENCE)) lines.push(style.dim(wrap(sanitize(e), width, '           ', '  ')));
    if (evidence.length > MAX_EVIDENCE)
      lines.push(style.dim(wrap(`(${evidence.length - MAX_EVIDENCE} more lines: ndr check-mx shows them all)`, width, '           ')));
    const fix = r.fix?.steps ?? [];
    if (fix.length) lines.push('           what to do:');
    fix.forEach((step, n) => lines.push(wrap(sanitize(`${n + 1}. ${step}`), width, '             ', '   ')));
    // A link stays whole unless it is longer than a line.
    for (const see of seeLines(r)) lines.push(wrap(`see: ${sanitize(see)}`, width, '           ', '     '));
    const pointer = b.pointers[i];
    if (pointer) lines.push(wrap(sanitize(`-> see ${pointer}`), width, '           ', '   '));
    if (r.status === 'error')
      lines.push(wrap('could not check (not the same as "missing"): try again, or ask another resolver', width, '           ', '   '));
  });
  lines.push('');
  return lines;
}

/**
 * A command as lines a shell reads back as the same argv: broken between
 * arguments with " \\", and an argument longer than a line cut into pieces
 * that a line continuation joins again (at column 0, where no blank can
 * come between them).
 */
export function commandLines(argv: readonly string[], width: number, indent = '    '): string[] {
  const lines: string[] = [];
  let line = `${indent}$`;
  const room = (l: string) => width - l.length - 2; // keep room for " \\"
  for (const arg of argv) {
    const word = quoteArg(printableArg(arg));
    if (1 + word.length <= room(line)) {
      line += ` ${word}`;
      continue;
    }
    if (line.trim() !== '$') {
      lines.push(`${line} \\`);
      line = `${indent}  `;
    } else line += ' ';
    if (word.length <= room(line)) {
      line += word;
      continue;
    }
    // Longer than a line: pieces of the argument, each quoted, joined by backslash-newline.
    let rest = printableArg(arg);
    while (rest) {
      let n = Math.max(1, room(line));
      while (n > 1 && quoteArg(rest.slice(0, n)).length > room(line)) n--;
      const piece = quoteArg(rest.slice(0, n));
      rest = rest.slice(n);
      if (!rest) {
        line += piece;
        break;
      }
      lines.push(`${line}${piece}\\`);
      line = '';
    }
  }
  lines.push(line);
  return lines;
}

function renderCommands(commands: string[][], o: RenderOptions): string[] {
  return [
    '',
    `  ${o.style.heading('To repeat this without the questions')}`,
    ...commands.flatMap((argv) => commandLines(argv, o.width)),
    '',
  ];
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
