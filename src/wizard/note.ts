/**
 * The ready-to-send note for whoever must act when the person at the keyboard
 * cannot: the recipient, a group owner, an admin or Microsoft. Plain text, so
 * it can go into a mail, a chat or a ticket. Pure; the renderer sanitises it.
 */
import type { Finding } from '../explain/finding.js';
import type { KbEntry, Role, Solution, Step } from '../knowledge/types.js';
import { shellJoin } from '../render/shell-quote.js';
import type { Note } from '../render/wizard-blocks.js';

export type { Note };

export interface NoteInput {
  finding: Finding;
  entry: KbEntry | null;
  addressee: Role;
  /** How to call the addressee in prose: "the recipient's e-mail admin". */
  addresseeName: string;
  /** The steps the addressee should take. */
  solutions: Solution[];
  /** The original sender, when the bounce names it. */
  sender: string | null;
  /** `ndr explain …` as argv, so the addressee can see the full explanation. */
  command: string[];
}

const MAX_DIAGNOSTIC = 600;

function stepLines(steps: Step[], indent: string): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    lines.push(`${indent}${i + 1}. ${typeof step === 'string' ? step : step.text}`);
    if (typeof step !== 'string')
      step.substeps.forEach((sub, j) => lines.push(`${indent}   ${String.fromCharCode(97 + (j % 26))}. ${sub}`));
  });
  return lines;
}

const SECOND_PERSON = /\b(you|your|yours|yourself)\b/i;

/**
 * What the note says the bounce means. Summaries speak to the person who got
 * the bounce ("a message you never sent"); in a note to anyone else "you"
 * would mean the reader. So such sentences are left out when the rest still
 * says something, and otherwise the summary is given as what the sender was told.
 */
export function meaningLine(addressee: Role, summary: string): string {
  const text = summary.replace(/\s+/g, ' ').trim();
  if (addressee === 'sender' || !SECOND_PERSON.test(text)) return `What it means: ${text}`;
  const neutral = text.split(/(?<=[.!?])\s+/).filter((x) => !SECOND_PERSON.test(x));
  return neutral.length ? `What it means: ${neutral.join(' ')}` : `What it means, as ndr explained it to the sender: "${text}"`;
}

export function buildNote(n: NoteInput): Note {
  const f = n.finding;
  const code = [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
  const title = n.entry?.title ?? f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'delivery failure';
  const diagnostic = f.diagnostic ? f.diagnostic.replace(/\s+/g, ' ').trim() : null;
  const lines: string[] = [];
  lines.push('Hello,', '');
  lines.push(
    n.addressee === 'sender'
      ? 'A message you sent was returned as undeliverable.'
      : `A message${n.sender ? ` from ${n.sender}` : ''}${f.recipient ? ` to ${f.recipient}` : ''} was returned as undeliverable, and the fix is on your side.`,
    '',
  );
  lines.push(`  Code:        ${code}: ${title}`);
  if (f.recipient) lines.push(`  Recipient:   ${f.recipient}`);
  if (n.sender) lines.push(`  Sender:      ${n.sender}`);
  if (f.remoteMta) lines.push(`  Reported by: ${f.remoteMta}`);
  if (diagnostic)
    lines.push(`  Diagnostic:  ${diagnostic.length > MAX_DIAGNOSTIC ? `${diagnostic.slice(0, MAX_DIAGNOSTIC)}…` : diagnostic}`);
  if (n.entry) lines.push('', meaningLine(n.addressee, n.entry.summary));
  if (n.solutions.length) {
    lines.push('', n.solutions.length === 1 ? 'What would fix it:' : 'What would fix it (any of these):');
    n.solutions.forEach((s, i) => {
      lines.push(`  ${String.fromCharCode(65 + (i % 26))}. ${s.title}`);
      lines.push(...stepLines(s.steps, '     '));
    });
  }
  lines.push('', `The full explanation: ${shellJoin(n.command)}`, '', 'Thank you.');
  return {
    addressee: n.addressee,
    addresseeName: n.addresseeName,
    subject: `Undeliverable message${f.recipient ? ` to ${f.recipient}` : ''}: ${code} ${title}`,
    lines,
  };
}
