/**
 * The SMTP command a recipient's failure came in reply to, as the report
 * itself says: Postfix "(in reply to end of DATA command)", Exim "SMTP error
 * from remote mail server after RCPT TO:<...>", a transcript's ">>> DATA"
 * before the "<<< 550" reply, or a labelled "SMTP command: DATA". The stage
 * tells the cause apart: a "User unknown" reply given after DATA is the
 * recipient's side filtering the message, not a missing address
 * (../shared/reference/bounce-reasons.md §3.4). Pure.
 */
import type { SmtpCommand } from './types.js';

const NAMES: Readonly<Record<string, SmtpCommand>> = {
  'rcpt': 'RCPT',
  'mail': 'MAIL',
  'data': 'DATA',
  'end of data': 'DATA',
  'helo': 'HELO',
  'ehlo': 'EHLO',
  'lhlo': 'EHLO',
  'initial connection': 'CONN',
  'initial greeting': 'CONN',
  'initial server greeting': 'CONN',
};

function named(word: string): SmtpCommand | null {
  const w = word.toLowerCase().replace(/\s+/g, ' ').replace(/ (?:to|from)$/, '');
  return NAMES[w] ?? null;
}

/** "in reply to X command", "after X", "while receiving the initial server greeting", "SMTP command: X". */
const PHRASES: readonly RegExp[] = [
  /in reply to (end of data|data|rcpt to|mail from|helo|ehlo|lhlo) command/gi,
  /while receiving the (initial server greeting)/gi,
  /remote (?:mail )?server after (?:pipelined )?(end of data|data|rcpt to|mail from|helo|ehlo|lhlo|initial connection)\b/gi,
  /\bsmtp command\b[\s:=-]{1,40}(data|rcpt|mail|helo|ehlo)\b/gi,
];

/** The commands the phrases name in `text`, in order. */
function phraseCommands(text: string): SmtpCommand[] {
  const hits: { at: number; cmd: SmtpCommand }[] = [];
  for (const re of PHRASES) {
    for (const m of text.matchAll(re)) {
      const cmd = named(m[1] ?? '');
      if (cmd) hits.push({ at: m.index ?? 0, cmd });
    }
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.cmd);
}

const SENT = /^\s*>>> ?([A-Za-z]{4})\b/;
const FAILED_REPLY = /^\s*<<< ?[45]\d\d\b/;

/**
 * A session transcript (sendmail, Courier): the command sent last before the
 * failed reply that names `address`, else before the first failed reply.
 */
function transcriptCommand(text: string, address: string | null): SmtpCommand | null {
  if (!text.includes('>>>') || !text.includes('<<<')) return null;
  const lines = text.split('\n');
  let last: SmtpCommand | null = null;
  let first: SmtpCommand | null = null;
  let seenFirst = false;
  const lower = address?.toLowerCase() ?? null;
  let lastNamesIt = false;
  for (const line of lines) {
    const sent = SENT.exec(line);
    if (sent) {
      last = named(sent[1] ?? '');
      lastNamesIt = !!lower && line.toLowerCase().includes(lower);
      continue;
    }
    if (!FAILED_REPLY.test(line)) continue;
    if (lower && (lastNamesIt || line.toLowerCase().includes(lower))) return last;
    if (!seenFirst) {
      seenFirst = true;
      first = last;
    }
  }
  return first;
}

/** The same answer from every hit, else null (two recipients failed at different stages and none is ours). */
function agreed(list: SmtpCommand[]): SmtpCommand | null {
  return list.length && list.every((c) => c === list[0]) ? (list[0] ?? null) : null;
}

/**
 * The failed command for one recipient: from its own diagnostic, else from
 * the paragraph of the report that names its address, else from a session
 * transcript, else from the whole report when the report names one stage
 * only.
 */
export function failedCommand(report: string, address: string | null, diagnostic: string | null): SmtpCommand | null {
  const own = diagnostic ? agreed(phraseCommands(diagnostic)) : null;
  if (own) return own;
  if (address) {
    // Each place the report names the address, up to the end of its paragraph (the next recipient's block
    // starts after a blank line): the first stage said there.
    const lower = report.toLowerCase();
    const needle = address.toLowerCase();
    for (let at = lower.indexOf(needle), n = 0; at >= 0 && n < 20; at = lower.indexOf(needle, at + needle.length), n++) {
      const end = report.indexOf('\n\n', at);
      const near = phraseCommands(report.slice(at, Math.min(end < 0 ? report.length : end, at + 600)))[0];
      if (near) return near;
    }
  }
  return transcriptCommand(report, address) ?? agreed(phraseCommands(report));
}
