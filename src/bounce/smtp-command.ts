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
  rcpt: 'RCPT',
  mail: 'MAIL',
  data: 'DATA',
  'end of data': 'DATA',
  helo: 'HELO',
  ehlo: 'EHLO',
  lhlo: 'EHLO',
  'initial connection': 'CONN',
  'initial greeting': 'CONN',
  'initial server greeting': 'CONN',
};

function named(word: string): SmtpCommand | null {
  const w = word
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ (?:to|from)$/, '');
  return NAMES[w] ?? (w === 'rcpt' ? 'RCPT' : null);
}

/** "in reply to X command", "after X", "while receiving the initial server greeting", "SMTP command: X" (a line may break anywhere). */
const PHRASES: readonly RegExp[] = [
  /in\s+reply\s+to\s+(end\s+of\s+data|data|rcpt\s+to|mail\s+from|helo|ehlo|lhlo)\s+command/gi,
  /while\s+receiving\s+the\s+(initial\s+server\s+greeting)/gi,
  /remote\s+(?:mail\s+)?server\s+after\s+(?:pipelined\s+)?(end\s+of\s+data|data|rcpt\s+to|rcpt|mail\s+from|mail|helo|ehlo|lhlo|initial\s+connection)\b/gi,
  /\bsmtp\s+command\b[\s:=-]{1,40}(data|rcpt|mail|helo|ehlo)\b/gi,
];

/**
 * The commands the phrases name in `text`, in order. The global patterns are run with exec from
 * lastIndex 0, not matchAll, which copies the pattern each time (this runs several times a recipient).
 */
function phraseCommands(text: string): SmtpCommand[] {
  const hits: { at: number; cmd: SmtpCommand }[] = [];
  for (const re of PHRASES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const cmd = named(m[1] ?? '');
      if (cmd) hits.push({ at: m.index ?? 0, cmd });
    }
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.cmd);
}

const SENT = /^\s*>>> ?([A-Za-z]{4})\b/;
const FAILED_REPLY = /^\s*<<< ?[45]\d\d\b/;
const TALKING = /^\s*\.\.\. while talking to /i;

/**
 * A session transcript (sendmail, Courier): the command sent last before the
 * failed reply that names `address`, else before the first failed reply.
 */
function transcriptCommand(text: string, address: string | null): SmtpCommand | null {
  if (!text.includes('<<<') || !(text.includes('>>>') || /while talking to /i.test(text))) return null;
  const lines = text.split('\n');
  let last: SmtpCommand | null = null;
  let first: SmtpCommand | null = null;
  let seenFirst = false;
  const lower = address?.toLowerCase() ?? null;
  let lastNamesIt = false;
  for (const line of lines) {
    // A new connection ("... while talking to mx.example.org.:"): a reply before any command answers the greeting.
    if (TALKING.test(line)) {
      last = 'CONN';
      lastNamesIt = false;
      continue;
    }
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
 * A command named in capitals inside a reply ("User unknown [RCPT_TO]",
 * "SMTP:RCPT host ...", "RCPT TO:<...> 550 ..."): the latest stage named,
 * where the name stands alone (not "DATABASE", not a host name). Capitals
 * only: in lower case the words are prose ("the data", "mail from"). A
 * command with its address ("RCPT TO: bob@...") with no reply after it is a
 * listing of the envelope, not the stage.
 */
const NAMED_STAGES: readonly [RegExp, SmtpCommand][] = [
  // Not "(HELO name)": a Received header quoted in the text names the client's greeting, not the failed stage.
  [/(?<![A-Za-z0-9@`(])(?:HELO|EHLO)(?![A-Za-z0-9@`])/g, 'HELO'],
  [/(?<![A-Za-z0-9@`])MAIL FROM\b/g, 'MAIL'],
  [/(?<![A-Za-z0-9@`])RCPT(?![A-Za-z0-9@`])/g, 'RCPT'],
  [/(?<![A-Za-z0-9@`])DATA(?![A-Za-z0-9@`])/g, 'DATA'],
];
const ENVELOPE_ECHO = /^(?: TO| FROM)?\s*:\s*<?[^\s<>@]{1,64}@/;
const REPLY_AFTER = /\b[45]\d\d\b/;

export function namedStage(diagnostic: string): SmtpCommand | null {
  let found: SmtpCommand | null = null;
  for (const [re, cmd] of NAMED_STAGES) {
    // exec from lastIndex 0 rather than matchAll, as in phraseCommands.
    re.lastIndex = 0;
    for (let m = re.exec(diagnostic); m; m = re.exec(diagnostic)) {
      const rest = diagnostic.slice(m.index + m[0].length);
      if (!ENVELOPE_ECHO.test(rest) || REPLY_AFTER.test(rest)) {
        found = cmd;
        break;
      }
    }
  }
  return found;
}

/**
 * The failed command for one recipient: from its own diagnostic, else from
 * the paragraph of the report that names its address, else from a session
 * transcript, else from the whole report when the report names one stage
 * only.
 */
export function failedCommand(report: string, address: string | null, diagnostic: string | null): SmtpCommand | null {
  const own = diagnostic ? (agreed(phraseCommands(diagnostic)) ?? namedStage(diagnostic)) : null;
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
