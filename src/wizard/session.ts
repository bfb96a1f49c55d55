/**
 * Facts the flow derives from a session: the audience's path through the
 * entry's solutions, who a note goes to, the domain to check and the commands
 * that repeat the session. Pure; exported for the transitions, the views and tests.
 */
import { checkDomainOf } from '../checks/command.js';
import type { CheckResult } from '../checks/types.js';
import type { Finding } from '../explain/finding.js';
import type { KbEntry, Role, Solution } from '../knowledge/types.js';
import type { Audience, BounceInput, ClientChoice, PathSolution, Session } from './types.js';

export const ADMIN_ROLES: readonly Role[] = ['sender-admin', 'recipient-admin'];

export function currentFinding(s: Session): Finding {
  const f = s.loaded.findings[s.finding];
  if (!f) throw new Error(`no finding ${s.finding}`);
  return f;
}

export function currentEntry(s: Session): KbEntry | null {
  return currentFinding(s).match?.entry ?? null;
}

/** The admin role the KB's `owner` names, the default actor of admin solutions. */
function defaultAdminActor(entry: KbEntry): Role | null {
  return entry.owner.find((r) => ADMIN_ROLES.includes(r)) ?? null;
}

/**
 * The solutions the audience walks through, in KB order. Senders act for
 * themselves unless a solution names someone else. Admins act for either
 * admin side; a solution for the recipient, a group owner, the sender or
 * Microsoft is a hand-off. An entry without admin solutions gives the admin
 * the sender's ones, as hand-offs to the sender.
 */
export function pathSolutions(entry: KbEntry | null, audience: Audience, client: ClientChoice | null = null): PathSolution[] {
  if (!entry) return [];
  // A solution for one Outlook is left out once the person said they use the other one.
  const fits = (s: Solution) => !s.client || client === null || client === 'any' || s.client === client;
  if (audience === 'sender') {
    return entry.solutions.sender.filter(fits).map((solution) => {
      const actor = solution.for ?? 'sender';
      return { solution, actor, handoff: actor !== 'sender' };
    });
  }
  const own = entry.solutions.admin.length
    ? entry.solutions.admin
    : entry.solutions.sender.map((s) => ({ ...s, for: s.for ?? ('sender' as Role) }));
  return own.filter(fits).map((solution) => {
    const actor = solution.for ?? defaultAdminActor(entry);
    return { solution, actor, handoff: actor !== null && !ADMIN_ROLES.includes(actor) };
  });
}

/** The solutions of the session's path, for the Outlook the person said they use. */
export function sessionSolutions(session: Session): PathSolution[] {
  return pathSolutions(currentEntry(session), session.audience, session.client);
}

/** True when the path has solutions written for different Outlooks: then the wizard asks which one first. */
export function solutionsDifferByClient(entry: KbEntry | null, audience: Audience): boolean {
  return new Set(pathSolutions(entry, audience).flatMap((p) => (p.solution.client ? [p.solution.client] : []))).size > 1;
}

/**
 * Who the sender's closing note goes to: an admin the entry names as owner
 * (the note carries the admin's steps), else any other owner, else the
 * sender's own admin.
 */
export function escalationRole(entry: KbEntry | null): Role {
  const owners = entry?.owner ?? [];
  return owners.find((r) => ADMIN_ROLES.includes(r)) ?? owners.find((r) => r !== 'sender') ?? 'sender-admin';
}

/** The admin solutions that concern `role` (all of them when none does). */
export function adminStepsFor(entry: KbEntry | null, role: Role): Solution[] {
  if (!entry) return [];
  const fallback = defaultAdminActor(entry);
  const mine = entry.solutions.admin.filter((s) => {
    const actor = s.for ?? fallback;
    return actor === role || (s.for === undefined && ADMIN_ROLES.includes(role));
  });
  return mine.length ? mine : ADMIN_ROLES.includes(role) ? entry.solutions.admin : [];
}

/** Whose domain the entry's checks look at. */
export function checkSide(entry: KbEntry | null): 'recipient' | 'sender' {
  return entry?.checkDomain ?? 'recipient';
}

/** The domain to offer for the entry's checks: the one `ndr explain` suggests checking for the same finding. */
export function checkDomainFor(s: Session): string | null {
  return checkDomainOf({ checkDomain: checkSide(currentEntry(s)), recipient: currentFinding(s).recipient, sender: s.loaded.sender });
}

/** The KB's name for the family a check belongs to: "mx-target" is an "mx" check. */
export function checkFamily(id: string): string {
  return id.split('-')[0]!.toLowerCase();
}

/** The input as `ndr explain` takes it. Pasted text is replaced by the finding it produced. */
export function explainArgument(input: BounceInput, finding: Finding | null): string {
  if (input.method === 'file') return input.path.startsWith('-') ? `./${input.path}` : input.path;
  if (input.method === 'code') return input.code.trim();
  const words = finding?.diagnostic?.trim() || [finding?.replyCode, finding?.status].filter(Boolean).join(' ');
  return words || input.text.trim().slice(0, 2000);
}

/** The longest text a short argument quotes from the bounce. */
const MAX_QUOTED = 80;

/**
 * A finding as a short `ndr explain` argument: its codes, and the words that
 * picked the entry when a pattern did (so the same entry is picked again);
 * null when there is no code and those words are long.
 */
export function shortArgument(f: Finding | null): string | null {
  if (!f) return null;
  const code = [f.replyCode, f.status].filter(Boolean).join(' ');
  const m = f.match;
  const words = m && (m.tier === 'pattern' || m.tier === 'text') ? m.matched.replace(/\s+/g, ' ').trim() : '';
  if (!words || code.includes(words) || words.length > MAX_QUOTED) return code || null;
  return [code, words].filter(Boolean).join(' ');
}

/**
 * The non-interactive commands that repeat the session (as argv; the renderer
 * quotes them): the saved file or the code, never a whole pasted text (that
 * becomes its code, or `ndr explain -` to paste it again).
 */
export function replayCommands(audience: Audience, input: BounceInput, replayFlags: string[], session: Session | null): string[][] {
  const flags = ['--audience', audience, ...replayFlags];
  const pasted = input.method === 'paste' ? shortArgument(session ? currentFinding(session) : null) : null;
  const arg = input.method === 'paste' ? pasted : explainArgument(input, null);
  const explain =
    arg === null
      ? ['ndr', 'explain', '-', ...flags]
      : arg.startsWith('-')
        ? ['ndr', 'explain', ...flags, '--', arg]
        : ['ndr', 'explain', arg, ...flags];
  const commands = [explain];
  if (session) {
    const domain = session.checked ?? (audience === 'admin' && currentEntry(session)?.checks.length ? checkDomainFor(session) : null);
    // A typed domain may start with a hyphen ("-x.example"), which check-mx accepts only after "--".
    if (domain) commands.push(['ndr', 'check-mx', ...(session.checkFlags ?? []), ...(domain.startsWith('-') ? ['--'] : []), domain]);
  }
  return commands;
}

/** A solution's letter: A, B, C … */
export const letter = (i: number) => String.fromCharCode(65 + (i % 26));

/** For a failing check, the admin solution that fixes it: the first whose title or steps name the check. */
export function fixPointer(entry: KbEntry | null, check: string): string | null {
  const solutions = entry?.solutions.admin ?? [];
  const word = new RegExp(`\\b${check.replace(/[^a-z0-9]/gi, '')}\\b`, 'i');
  const i = solutions.findIndex(
    (s) => word.test(s.title) || s.steps.some((st) => word.test(typeof st === 'string' ? st : [st.text, ...st.substeps].join(' '))),
  );
  return i < 0 ? null : `solution ${letter(i)} below: ${solutions[i]!.title}`;
}

/** Each failing family points to its fix once, at its first check that did not pass. */
export function checkPointers(entry: KbEntry | null, results: CheckResult[]): (string | null)[] {
  const pointed = new Set<string>();
  return results.map((r) => {
    const family = checkFamily(r.id);
    if (r.status === 'pass' || pointed.has(family)) return null;
    pointed.add(family);
    return fixPointer(entry, family);
  });
}
