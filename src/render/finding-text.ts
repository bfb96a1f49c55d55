import type { Finding } from '../core/finding.js';
import { REASON_WORDS } from '../knowledge/reasons.js';
import type { Role, Solution, Step } from '../knowledge/types.js';
import { sanitize } from './sanitize.js';
import type { Style } from './style.js';
import { wrap } from './wrap.js';

export type Audience = 'sender' | 'admin' | 'all';

export interface TextOptions {
  style: Style;
  width: number;
  audience: Audience;
}

const ROLE_NAMES: Record<Role, string> = {
  sender: 'the sender',
  recipient: 'the recipient',
  'group-owner': 'the group owner',
  'sender-admin': "the sender's admin",
  'recipient-admin': "the recipient's admin",
  'mail-service': 'the mail service (Microsoft)',
};

const MATCH_NAMES = {
  pattern: 'code and text',
  exact: 'exact code',
  range: 'code range',
  text: 'text, no code',
  words: 'the words, over the code',
} as const;

/**
 * The owner picture of the newer Office 365 NDRs: three boxes, the sender's
 * side, the mail service and the recipient's side, with a mark under each
 * that must act.
 */
export function ownerPicture(owner: Role[], style: Style): string[] {
  const sides = [
    { label: 'Sender', roles: ['sender', 'sender-admin'] as Role[] },
    { label: 'Mail service', roles: ['mail-service'] as Role[] },
    { label: 'Recipient', roles: ['recipient', 'recipient-admin', 'group-owner'] as Role[] },
  ];
  const boxes = sides.map((s) => `[ ${s.label} ]`);
  const top = boxes.map((b, i) => (sides[i]!.roles.some((r) => owner.includes(r)) ? style.yellow(style.bold(b)) : style.dim(b))).join(style.dim(' --> '));
  let marks = '';
  let col = 0;
  sides.forEach((s, i) => {
    const acting = s.roles.filter((r) => owner.includes(r));
    const note = acting.length ? `^ ${acting.map((r) => ROLE_NAMES[r].replace(/^the /, '')).join(', ')}` : '';
    marks = marks.padEnd(col) + note;
    col += boxes[i]!.length + 5;
    if (marks.length > col) col = marks.length + 1;
  });
  return [`    ${top}`, `    ${style.yellow(marks.trimEnd())}`];
}

function renderSteps(steps: Step[], width: number, indent: string): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    const num = `${i + 1}. `;
    const text = typeof step === 'string' ? step : step.text;
    lines.push(wrap(sanitize(num + text), width, indent, ' '.repeat(num.length)));
    if (typeof step !== 'string') {
      step.substeps.forEach((sub, j) => {
        const letter = `${String.fromCharCode(97 + (j % 26))}. `;
        lines.push(wrap(sanitize(letter + sub), width, indent + '   ', ' '.repeat(letter.length)));
      });
    }
  });
  return lines;
}

function renderSolutions(title: string, solutions: Solution[], defaultActor: string, o: TextOptions): string[] {
  if (!solutions.length) return [];
  const lines = ['', `  ${o.style.heading(title)}`];
  solutions.forEach((s, i) => {
    const who = s.for ? ` (${ROLE_NAMES[s.for]})` : defaultActor ? ` (${defaultActor})` : '';
    lines.push(`    ${o.style.bold(`${String.fromCharCode(65 + (i % 26))}. ${sanitize(s.title)}`)}${o.style.dim(who)}`);
    lines.push(...renderSteps(s.steps, o.width, '       '));
  });
  return lines;
}

/**
 * The cause in plain words (with sisimai's name), and, when the code and the
 * words point to different entries, which one the code pointed to.
 */
export function reasonLines(f: Finding, style: Style): string[] {
  const lines = [`  ${style.dim('cause:')} ${REASON_WORDS[f.reason]} ${style.dim(`(${f.reason})`)}`];
  if (f.seeAlso) {
    const chosen = f.match ? `the words point to ${f.match.entry.id}` : 'the words name another cause, with no entry of its own';
    lines.push(`  ${style.dim(sanitize(`the code ${f.seeAlso.code} points to ${f.seeAlso.entry.id}, ${chosen}; see also: ${f.seeAlso.entry.id} (${f.seeAlso.entry.title})`))}`);
  }
  return lines;
}

function headline(f: Finding): string {
  return [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
}

/** One finding as human text. Every string from the input passes the sanitiser. */
export function renderFindingText(f: Finding, o: TextOptions): string {
  const { style, width } = o;
  const entry = f.match?.entry ?? null;
  const temporary = f.generic?.temporary;
  const lifetime = temporary === true ? style.yellow('temporary: the server retries') : temporary === false ? style.red('permanent') : '';
  const title = entry ? entry.title : f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'Unknown code';
  const lines: string[] = [];
  lines.push(`${style.bold(sanitize(headline(f)))}  ${style.bold(sanitize(title))}${lifetime ? `  ${style.dim('(')}${lifetime}${style.dim(')')}` : ''}`);
  if (f.recipient) lines.push(`  ${style.dim('recipient:')} ${sanitize(f.recipient)}`);
  if (f.remoteMta) lines.push(`  ${style.dim('remote server:')} ${sanitize(f.remoteMta)}`);
  if (f.wrappedBy) lines.push(`  ${style.dim(`the remote server's own reply, wrapped by Exchange in ${f.wrappedBy}`)}`);
  if (f.diagnostic) lines.push(wrap(sanitize(`diagnostic: ${f.diagnostic}`), width, '  ', '  '));
  lines.push(...reasonLines(f, style));
  if (f.match) lines.push(`  ${style.dim(`matched by ${MATCH_NAMES[f.match.tier]}: "${sanitize(f.match.matched)}"  [${entry!.id}]`)}`);

  if (entry) {
    lines.push('', `  ${style.heading('What it means')}`, wrap(sanitize(entry.summary), width, '    '));
    lines.push('', `  ${style.heading('Who must act')}`, ...ownerPicture(entry.owner, style));
    if (entry.causes.length) {
      lines.push('', `  ${style.heading('Likely causes')}`);
      for (const c of entry.causes) lines.push(wrap(sanitize(`- ${c}`), width, '    ', '  '));
    }
    if (o.audience !== 'admin') lines.push(...renderSolutions('If you sent the message', entry.solutions.sender, '', o));
    if (o.audience !== 'sender') lines.push(...renderSolutions('For the e-mail admin', entry.solutions.admin, '', o));
    if (entry.history) lines.push('', `  ${style.heading('Then and now')}`, wrap(sanitize(entry.history), width, '    '));
  }
  if (f.generic && (!entry || f.generic.detail)) {
    const g = f.generic;
    lines.push('', `  ${style.heading(entry ? 'Standard meaning (RFC 3463)' : 'What the code means (RFC 3463, no specific entry)')}`);
    if (g.class && g.code) lines.push(wrap(`class ${g.code[0]}: ${g.class.name}. ${g.class.meaning}`, width, '    ', '  '));
    if (g.subject && g.code) lines.push(wrap(`subject ${g.code.split('.')[1]}: ${g.subject.name}. ${g.subject.meaning}`, width, '    ', '  '));
    if (g.detail) lines.push(wrap(`${g.detail.code}: ${g.detail.name} (${g.detail.reference})`, width, '    ', '  '));
    if (g.replyCode) lines.push(wrap(`reply ${g.replyCode.code}: ${g.replyCode.meaning}`, width, '    ', '  '));
  }
  if (entry?.sources.length) {
    lines.push('', `  ${style.heading('Sources')}`);
    for (const s of entry.sources) lines.push(`    ${sanitize(s)}`);
  }
  return lines.join('\n');
}
