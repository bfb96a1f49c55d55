import { checkMxCommand } from '../checks/command.js';
import type { Finding } from '../explain/finding.js';
import { REASON_WORDS } from '../knowledge/reasons.js';
import type { KbEntry, Role, Solution } from '../knowledge/types.js';
import { partyName } from './roles.js';
import { sanitize } from './sanitize.js';
import { renderSteps } from './steps.js';
import type { Style } from './style.js';
import { clip, visibleWidth, wrap } from './wrap.js';

/** Whose solutions to show: one side of the knowledge base's solutions, or both. */
export type Audience = keyof KbEntry['solutions'] | 'all';

export interface TextOptions {
  style: Style;
  width: number;
  audience: Audience;
  /**
   * Everything ndr knows: every cause, every solution's steps, the history of
   * the entry, the standard (RFC) meaning of the code, the sources and all of
   * the message's details. Without it the answer is focused (issue 15).
   */
  full?: boolean;
  /** The sender's address when the input names it, to fill `ndr check-mx <domain>` in the steps. */
  sender?: string | null;
  /** The command that shows a related entry (`see:`), by id; --full lists them. */
  commandFor?: (id: string) => string | null;
}

const MATCH_NAMES = {
  pattern: 'code and text',
  exact: 'exact code',
  range: 'code range',
  text: 'text, no code',
  words: 'the words, over the code',
} as const;

/** The focused answer shows this much of a diagnostic; --full shows it whole. */
export const FOCUSED_DIAGNOSTIC_CHARS = 300;

/**
 * Lines a focused finding aims at (headline to last solution). Every solution
 * shows its title; the first shown (the sender's with --audience all) always
 * shows its steps too, and each later one shows them while the finding stays
 * within this many lines.
 */
export const FOCUSED_FINDING_LINES = 36;

/**
 * The owner picture of the newer Office 365 NDRs: three boxes, the sender's
 * side, the mail service and the recipient's side, with a mark under each
 * that must act.
 */
export function ownerPicture(owner: Role[], style: Style, width = Infinity): string[] {
  const sides = [
    { label: 'Sender', roles: ['sender', 'sender-admin'] as Role[] },
    { label: 'Mail service', roles: ['mail-service'] as Role[] },
    { label: 'Recipient', roles: ['recipient', 'recipient-admin', 'group-owner'] as Role[] },
  ];
  const boxes = sides.map((s) => `[ ${s.label} ]`);
  const top = boxes
    .map((b, i) => (sides[i]!.roles.some((r) => owner.includes(r)) ? style.yellow(style.bold(b)) : style.dim(b)))
    .join(style.dim(' --> '));
  let marks = '';
  let col = 0;
  sides.forEach((s, i) => {
    const acting = s.roles.filter((r) => owner.includes(r));
    const note = acting.length ? `^ ${acting.map((r) => partyName(r).replace(/^the /, '')).join(', ')}` : '';
    marks = marks.padEnd(col) + note;
    col += boxes[i]!.length + 5;
    if (marks.length > col) col = marks.length + 1;
  });
  const picture = [`    ${top}`, `    ${style.yellow(marks.trimEnd())}`];
  // Narrower than the picture: who acts in words instead.
  if (picture.some((l) => visibleWidth(l) > width)) return wrap(either(owner.map(partyName)), width, '    ', '  ').split('\n');
  return picture;
}

/** "a", "a or b", "a, b or c". */
function either(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A placeholder command of the knowledge base, `ndr check-mx <domain>`, filled when the input names the domain. */
const CHECK_MX_PLACEHOLDER = /ndr check-mx <[^<>]{0,40}domain>/g;

function fillText(text: string, filled: string | null): string {
  return filled ? text.replace(CHECK_MX_PLACEHOLDER, filled) : text;
}

/** Role words a solution title may already carry in a closing parenthesis, "(for the recipient)", "(group owner)". */
const OWNER_IN_TITLE = /\((?:[^()]*\b)?(?:sender|recipient|owner|moderator|admin|administrator)s?\b[^()]*\)\s*$/i;

/** A solution's title line, with who carries it out unless the title says so already. */
function solutionTitle(s: Solution, num: string, o: TextOptions): string {
  const who = s.for && !OWNER_IN_TITLE.test(s.title) ? ` (${partyName(s.for)})` : '';
  // Titles come from the knowledge base (an organisation's --kb too), so they pass the sanitiser.
  return wrap(`${o.style.bold(`${num}${sanitize(s.title)}`)}${o.style.dim(who)}`, o.width, '    ', ' '.repeat(num.length));
}

const count = (text: string) => text.split('\n').length;

/**
 * The solutions of one audience. Focused: each numbered, the first with its
 * steps, later ones with theirs while `budget` lines allow, else the title.
 */
function renderSolutions(
  title: string,
  solutions: Solution[],
  o: TextOptions,
  filled: string | null,
  budget: { left: number; later: number; shown: number },
): string[] {
  if (!solutions.length) return [];
  const lines = ['', `  ${o.style.heading(title)}`];
  budget.left -= 2;
  solutions.forEach((s, i) => {
    const head = solutionTitle(s, `${i + 1}. `, o);
    // budget.later: lines the titles (and headings) still to come take at least.
    budget.later -= 1;
    const fits = (stepLines: number) => o.full || budget.shown === 0 || count(head) + stepLines + budget.later <= budget.left;
    // Every step and substep takes a line at least: steps that cannot fit even so are not wrapped for nothing.
    const steps = fits(s.steps.reduce((n, step) => n + 1 + (typeof step === 'string' ? 0 : step.substeps.length), 0))
      ? renderSteps(s.steps, { width: o.width, indent: '       ', fill: (text) => fillText(text, filled) })
      : null;
    const stepLines = steps ? steps.reduce((n, l) => n + count(l), 0) : 0;
    if (steps && fits(stepLines)) {
      lines.push(head, ...steps);
      budget.left -= count(head) + stepLines;
      budget.shown++;
    } else {
      lines.push(head);
      budget.left -= count(head);
    }
  });
  return lines;
}

/**
 * Temporary (the server retries), permanent, or a 4.x.x failure whose retrying is
 * over (4.4.7 expired, or sent with a 5xx reply); empty when no code tells.
 */
export function lifetimeOf(f: Finding, style: Style): string {
  const temporary = f.generic?.temporary;
  if (temporary === true) return style.yellow('temporary: the server retries');
  if (temporary !== false) return '';
  return style.red(f.generic?.code?.startsWith('4.') ? 'failed: the server has stopped retrying' : 'permanent');
}

/**
 * `filtered` for words of a missing address (sisimai's reading of a "User
 * unknown" reply that came after DATA, or where nothing shows it was about
 * the address): say both what the words claim and what the reason means.
 */
function reasonWords(f: Finding): string {
  if (f.reason === 'filtered' && f.match?.entry.reason === 'userunknown') {
    return "the recipient's side refused it with words of an unknown address, but not in reply to the address itself (RCPT TO): a filter there, or a missing address";
  }
  return REASON_WORDS[f.reason];
}

/**
 * The cause in plain words (with sisimai's name), and, when the code and the
 * words point to different entries, which one the code pointed to.
 */
export function reasonLines(f: Finding, style: Style, width: number): string[] {
  const lines = [wrap(`${style.dim('reason:')} ${reasonWords(f)} ${style.dim(`(${f.reason})`)}`, width, '  ', '  ')];
  if (f.seeAlso) {
    const chosen = f.match ? `the words point to ${f.match.entry.id}` : 'the words name another cause, with no entry of its own';
    lines.push(
      wrap(
        style.dim(
          sanitize(
            `the code ${f.seeAlso.code} points to ${f.seeAlso.entry.id}, ${chosen}; see also: ${f.seeAlso.entry.id} (${f.seeAlso.entry.title})`,
          ),
        ),
        width,
        '  ',
        '  ',
      ),
    );
  }
  return lines;
}

function codeOf(f: Finding): string {
  return [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
}

/** The first sentences of `text` that fit in `maxLines` lines (at least one sentence). */
function firstSentences(text: string, width: number, indent: string, maxLines: number): string {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z("])/);
  let shown = sentences[0]!;
  for (const s of sentences.slice(1)) {
    const next = `${shown} ${s}`;
    if (count(wrap(next, width, indent)) > maxLines) break;
    shown = next;
  }
  return wrap(shown, width, indent);
}

/** The headline of a finding: code, title, permanent or temporary; wrapped under itself. */
function headline(f: Finding, entry: KbEntry | null, o: TextOptions): string {
  const { style } = o;
  const lifetime = lifetimeOf(f, style);
  const title = entry ? entry.title : (f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'Unknown code');
  return wrap(
    `${style.bold(`${sanitize(codeOf(f))}  ${sanitize(title)}`)}${lifetime ? `  ${style.dim('(')}${lifetime}${style.dim(')')}` : ''}`,
    o.width,
    '',
    '  ',
  );
}

/** A "label: value" line, the value wrapped under itself. */
function labelled(label: string, value: string, o: TextOptions, indent = '  '): string {
  return wrap(`${o.style.dim(label)} ${value}`, o.width, indent, '  ');
}

/** The standard meaning of the code (RFC 3463 and RFC 5321's reply codes). */
function standardMeaning(f: Finding, entry: KbEntry | null, o: TextOptions): string[] {
  const g = f.generic;
  if (!g || (entry && !g.detail)) return [];
  const { width } = o;
  const lines = ['', `  ${o.style.heading(entry ? 'Standard meaning (RFC 3463)' : 'What the code means (RFC 3463, no specific entry)')}`];
  if (g.class && g.code) lines.push(wrap(`class ${g.code[0]}: ${g.class.name}. ${g.class.meaning}`, width, '    ', '  '));
  if (g.subject && g.code)
    lines.push(wrap(`subject ${g.code.split('.')[1]}: ${g.subject.name}. ${g.subject.meaning}`, width, '    ', '  '));
  if (g.detail) lines.push(wrap(`${g.detail.code}: ${g.detail.name} (${g.detail.reference})`, width, '    ', '  '));
  if (g.replyCode) lines.push(wrap(`reply ${g.replyCode.code}: ${g.replyCode.meaning}`, width, '    ', '  '));
  return lines;
}

/**
 * One finding as human text, or several findings of the same entry (a
 * message that failed for several recipients for the same reason): the entry
 * is explained once and the recipients are listed. Every string from the
 * input passes the sanitiser.
 */
export function renderFindingText(f: Finding, o: TextOptions, same: Finding[] = [], notes: string[] = []): string {
  const { style, width } = o;
  const entry = f.match?.entry ?? null;
  const lines: string[] = [headline(f, entry, o), ...notes, ...reasonLines(f, style, width)];
  const recipients = [f, ...same].map((x) => x.recipient).filter((r): r is string => Boolean(r));
  if (recipients.length === 1) lines.push(labelled('recipient:', sanitize(recipients[0]!), o));
  else if (recipients.length > 1) lines.push(labelled(`${recipients.length} recipients:`, recipients.map(sanitize).join(', '), o));
  if (f.remoteMta && o.full) lines.push(labelled('remote server:', sanitize(f.remoteMta), o));
  if (f.wrappedBy) lines.push(wrap(style.dim(`the remote server's own reply, wrapped by Exchange in ${f.wrappedBy}`), width, '  ', '  '));
  if (f.diagnostic) lines.push(labelled('diagnostic:', sanitize(o.full ? f.diagnostic : clip(f.diagnostic, FOCUSED_DIAGNOSTIC_CHARS)), o));
  if (f.match && o.full)
    lines.push(
      wrap(
        style.dim(`matched by ${MATCH_NAMES[f.match.tier]}: "${sanitize(f.match.matched)}"  [${sanitize(entry!.id)}]`),
        width,
        '  ',
        '  ',
      ),
    );

  if (entry) {
    const filled = checkMxCommand({
      checks: entry.checks,
      checkDomain: entry.checkDomain,
      recipient: f.recipient,
      sender: o.sender ?? null,
    });
    const summary = sanitize(entry.summary);
    lines.push(
      '',
      `  ${style.heading('What it means')}`,
      o.full ? wrap(summary, width, '    ') : firstSentences(summary, width, '    ', 3),
    );
    if (o.full) {
      lines.push('', `  ${style.heading('Who must act')}`, ...ownerPicture(entry.owner, style, width));
      if (entry.causes.length) {
        lines.push('', `  ${style.heading('Likely causes')}`);
        for (const c of entry.causes) lines.push(wrap(sanitize(`- ${fillText(c, filled)}`), width, '    ', '  '));
      }
    } else {
      lines.push(labelled('Who must act:', either(entry.owner.map(partyName)), o));
      if (entry.causes.length) lines.push(labelled('Most likely cause:', sanitize(fillText(entry.causes[0]!, filled)), o));
    }
    const sender = o.audience !== 'admin' ? entry.solutions.sender : [];
    const admin = o.audience !== 'sender' ? entry.solutions.admin : [];
    const later = sender.length + admin.length + (sender.length ? 2 : 0) + (admin.length ? 2 : 0);
    const budget = { left: FOCUSED_FINDING_LINES - lines.reduce((n, l) => n + count(l), 0), later, shown: 0 };
    lines.push(...renderSolutions('If you sent the message', sender, o, filled, budget));
    budget.later -= sender.length ? 2 : 0;
    lines.push(...renderSolutions('For the e-mail admin', admin, o, filled, budget));
    if (o.full && entry.history) lines.push('', `  ${style.heading('Then and now')}`, wrap(sanitize(entry.history), width, '    '));
    const related = o.full && o.commandFor ? entry.see.map((id) => o.commandFor!(id)).filter((c): c is string => c !== null) : [];
    if (related.length) {
      lines.push('', `  ${style.heading('Related')}`);
      for (const c of related) lines.push(wrap(sanitize(c), width, '    ', '  '));
    }
  }
  if (o.full || !entry) lines.push(...standardMeaning(f, entry, o));
  if (o.full && entry?.sources.length) {
    lines.push('', `  ${style.heading('Sources')}`);
    for (const s of entry.sources) lines.push(wrap(sanitize(s), width, '    ', '  '));
  }
  return lines.join('\n');
}

/**
 * Findings side by side with the ones of the same entry (and code) gathered
 * behind the first: [first, the others]. Findings without an entry stay alone.
 */
export function groupByEntry<T>(items: T[], findingOf: (item: T) => Finding): [T, T[]][] {
  const groups: [T, T[]][] = [];
  const byKey = new Map<string, [T, T[]]>();
  for (const item of items) {
    const f = findingOf(item);
    const id = f.match?.entry.id;
    const key = id ? `${id}\u0000${codeOf(f)}\u0000${f.wrappedBy ?? ''}` : null;
    const group = key ? byKey.get(key) : undefined;
    if (group) group[1].push(item);
    else {
      const fresh: [T, T[]] = [item, []];
      groups.push(fresh);
      if (key) byKey.set(key, fresh);
    }
  }
  return groups;
}

/** The closing lines of a focused answer: how to see one side's steps, and what --full adds with the command that shows it. */
export function moreLine(command: string | null, o: Pick<TextOptions, 'style' | 'width' | 'audience'>): string {
  const lines =
    o.audience === 'all' ? [wrap(o.style.dim("One side's steps only: add --audience sender or --audience admin"), o.width, '', '  ')] : [];
  const label = 'All causes and steps, history, RFC meaning:';
  const whole = `${label} ${command ?? 'add --full'}`;
  // A command is not broken across lines where it fits on one: it is meant to be copied.
  if (!command || visibleWidth(whole) <= o.width) lines.push(wrap(o.style.dim(whole), o.width, '', '  '));
  else lines.push(o.style.dim(label), wrap(o.style.dim(command), o.width, '  ', '  '));
  return lines.join('\n');
}
