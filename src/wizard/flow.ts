/**
 * The wizard as a pure state machine. `view(state)` says what to show and what
 * to ask; `next(state, answer)` gives the following state. Both are tables
 * keyed by the state's step. No I/O here: the driver (src/wizard/run.ts) asks
 * the questions through the prompt adapter and performs the two effects
 * (loading the bounce, running DNS checks), feeding their results back in as
 * answers.
 */
import { domainToASCII } from 'node:url';
import type { Finding } from '../explain/finding.js';
import type { CheckName, Client, KbEntry, Role, Solution } from '../knowledge/types.js';
import { buildNote, type Note } from './note.js';

export type Audience = 'sender' | 'admin';
export type InputMethod = 'file' | 'paste' | 'code';

export type BounceInput = { method: 'file'; path: string } | { method: 'paste'; text: string } | { method: 'code'; code: string };

/** What loading the bounce produced. */
export interface Loaded {
  findings: Finding[];
  /** The address the bounced message was sent from, when the bounce names it. */
  sender: string | null;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error';

/** One DNS check's result, as the wizard shows it. */
export interface CheckOutcome {
  check: string;
  status: CheckStatus;
  /** One line; may quote DNS data, so it is sanitised when printed. */
  summary: string;
  /** The DNS records (or failed lookups) the verdict rests on; untrusted. */
  evidence: string[];
  /** What to do about it, in order (empty when it passed). */
  fix: string[];
  /** Where to read more: a KB entry, documentation. */
  see: string[];
}

/** The KB's name for the family a check belongs to: "mx-target" is an "mx" check. */
export function checkFamily(id: string): string {
  return id.split('-')[0]!.toLowerCase();
}

export interface Presets {
  audience: Audience | null;
  input: BounceInput | null;
  /** Flags to repeat in the equivalent command, such as ["--kb", dir]. */
  replayFlags: string[];
  /** Flags to repeat in the equivalent `ndr check-mx` (--nameserver, --timeout, --deadline). */
  checkFlags?: string[];
}

/** The Outlook the person uses; 'any' for another program or "not sure" (every solution is shown). */
export type ClientChoice = Client | 'any';

/** Everything decided once the bounce is loaded. */
export interface Session {
  audience: Audience;
  input: BounceInput;
  loaded: Loaded;
  /** Index into loaded.findings of the recipient being worked on. */
  finding: number;
  /** The domain whose DNS checks ran, if they did. */
  checked: string | null;
  /** Which Outlook, once asked (only where the solutions differ between them); null before. */
  client: ClientChoice | null;
  replayFlags: string[];
  checkFlags?: string[];
}

export type State =
  | { step: 'audience'; presets: Presets }
  | { step: 'input-method'; audience: Audience; presets: Presets }
  | { step: 'input'; audience: Audience; method: InputMethod; presets: Presets }
  | { step: 'load'; audience: Audience; input: BounceInput; presets: Presets }
  | { step: 'not-found'; audience: Audience; input: BounceInput; message: string; presets: Presets }
  | { step: 'pick-finding'; session: Session }
  | { step: 'diagnosis'; session: Session }
  | { step: 'offer-checks'; session: Session; domain: string | null }
  | { step: 'edit-domain'; session: Session; domain: string | null }
  | { step: 'run-checks'; session: Session; domain: string }
  | { step: 'check-results'; session: Session; domain: string; results: CheckOutcome[] }
  | { step: 'ask-client'; session: Session }
  | { step: 'solution'; session: Session; index: number }
  | { step: 'note'; session: Session; index: number }
  | { step: 'ask-solved'; session: Session; index: number }
  | { step: 'solved'; session: Session; index: number }
  | { step: 'exhausted'; session: Session }
  | { step: 'quit'; audience: Audience; input: BounceInput; presets: Presets };

export type Step = State['step'];

export type Answer =
  | { type: 'choice'; value: string }
  | { type: 'yes-no'; value: boolean }
  | { type: 'text'; value: string }
  | { type: 'loaded'; loaded: Loaded }
  | { type: 'load-failed'; message: string }
  | { type: 'checked'; results: CheckOutcome[] }
  | { type: 'shown' };

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

/** What the driver must do in a state. Texts may hold bounce data: the prompt adapter sanitises them. */
export type Ask =
  | { type: 'select'; message: string; choices: Choice[]; default?: string }
  | { type: 'confirm'; message: string; default: boolean }
  | { type: 'input'; message: string; default?: string; check: 'path' | 'code' | 'domain' }
  | { type: 'multiline'; message: string }
  | { type: 'load'; input: BounceInput }
  | { type: 'checks'; domain: string; checks: CheckName[] }
  | { type: 'continue' }
  | { type: 'end'; outcome: 'solved' | 'exhausted' | 'quit' };

/** Something to print before asking. The renderer (src/wizard/render.ts) sanitises every string. */
export type Block =
  | { kind: 'diagnosis'; finding: Finding }
  | { kind: 'solution'; solution: Solution; letter: string; total: number; actor: Role | null; handoff: boolean; audience: Audience }
  | { kind: 'note'; note: Note }
  | { kind: 'checks'; domain: string; results: CheckOutcome[]; pointers: (string | null)[] }
  | { kind: 'message'; text: string }
  | { kind: 'commands'; commands: string[][] };

export interface View {
  show: Block[];
  ask: Ask;
}

// ---------------------------------------------------------------------------
// Facts the flow derives from a session (pure helpers, exported for tests).

export const ROLE_NAMES: Record<Role, string> = {
  sender: 'the sender',
  recipient: 'the recipient',
  'group-owner': 'the group owner',
  'sender-admin': "the sender's e-mail admin",
  'recipient-admin': "the recipient's e-mail admin",
  'mail-service': 'Microsoft support (the mail service)',
};

const ADMIN_ROLES: readonly Role[] = ['sender-admin', 'recipient-admin'];

/** A role as the person at the keyboard would say it: a sender's own admin is "your e-mail admin". */
export function roleName(role: Role, audience: Audience): string {
  return audience === 'sender' && role === 'sender-admin' ? 'your e-mail admin' : ROLE_NAMES[role];
}

export function currentFinding(s: Session): Finding {
  const f = s.loaded.findings[s.finding];
  if (!f) throw new Error(`no finding ${s.finding}`);
  return f;
}

export function currentEntry(s: Session): KbEntry | null {
  return currentFinding(s).match?.entry ?? null;
}

/** One solution on the audience's path, with who carries it out. */
export interface PathSolution {
  solution: Solution;
  /** null: the audience itself, no one in particular named. */
  actor: Role | null;
  /** True when someone other than the person at the keyboard must act. */
  handoff: boolean;
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
  const own = entry.solutions.admin.length ? entry.solutions.admin : entry.solutions.sender.map((s) => ({ ...s, for: s.for ?? ('sender' as Role) }));
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

/** A domain as DNS wants it (lower-case A-labels), or null when it is not a host name. */
export function normalizeDomain(text: string): string | null {
  const trimmed = text.trim().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253 || /[\s@/\\]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed);
  if (!ascii || !ascii.includes('.')) return null;
  const labelOk = (l: string) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l);
  return ascii.split('.').every(labelOk) ? ascii : null;
}

export function domainOf(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at < 0 ? null : normalizeDomain(address.slice(at + 1).replace(/>$/, ''));
}

/** Whose domain the entry's checks look at. */
export function checkSide(entry: KbEntry | null): 'recipient' | 'sender' {
  return entry?.checkDomain ?? 'recipient';
}

/** The domain to offer for the entry's checks: the recipient's or the sender's, as the entry says. */
export function checkDomainFor(s: Session): string | null {
  return domainOf(checkSide(currentEntry(s)) === 'recipient' ? currentFinding(s).recipient : s.loaded.sender);
}

/** The input as `ndr explain` takes it. Pasted text is replaced by the finding it produced. */
function explainArgument(input: BounceInput, finding: Finding | null): string {
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
  const explain = arg === null ? ['ndr', 'explain', '-', ...flags] : arg.startsWith('-') ? ['ndr', 'explain', ...flags, '--', arg] : ['ndr', 'explain', arg, ...flags];
  const commands = [explain];
  if (session) {
    const domain = session.checked ?? (audience === 'admin' && currentEntry(session)?.checks.length ? checkDomainFor(session) : null);
    if (domain) commands.push(['ndr', 'check-mx', ...(session.checkFlags ?? []), domain]);
  }
  return commands;
}

const letter = (i: number) => String.fromCharCode(65 + (i % 26));

/** For a failing check, the admin solution that fixes it: the first whose title or steps name the check. */
export function fixPointer(entry: KbEntry | null, check: string): string | null {
  const solutions = entry?.solutions.admin ?? [];
  const word = new RegExp(`\\b${check.replace(/[^a-z0-9]/gi, '')}\\b`, 'i');
  const i = solutions.findIndex((s) => word.test(s.title) || s.steps.some((st) => word.test(typeof st === 'string' ? st : [st.text, ...st.substeps].join(' '))));
  return i < 0 ? null : `solution ${letter(i)} below: ${solutions[i]!.title}`;
}

/** Each failing family points to its fix once, at its first check that did not pass. */
export function checkPointers(entry: KbEntry | null, results: CheckOutcome[]): (string | null)[] {
  const pointed = new Set<string>();
  return results.map((r) => {
    const family = checkFamily(r.check);
    if (r.status === 'pass' || pointed.has(family)) return null;
    pointed.add(family);
    return fixPointer(entry, family);
  });
}

// ---------------------------------------------------------------------------
// Transitions.

function bad(state: State, answer: Answer): never {
  throw new Error(`wizard: answer ${answer.type} does not fit step ${state.step}`);
}

function startSolutions(session: Session): State {
  if (session.client === null && solutionsDifferByClient(currentEntry(session), session.audience)) return { step: 'ask-client', session };
  return sessionSolutions(session).length ? { step: 'solution', session, index: 0 } : { step: 'exhausted', session };
}

function advance(session: Session, index: number): State {
  return index + 1 < sessionSolutions(session).length ? { step: 'solution', session, index: index + 1 } : { step: 'exhausted', session };
}

const CLIENT_CHOICES: readonly string[] = ['outlook-web', 'outlook-classic', 'any'];

function startPath(session: Session): State {
  const entry = currentEntry(session);
  if (session.audience === 'admin' && entry?.checks.length) return { step: 'offer-checks', session, domain: checkDomainFor(session) };
  return startSolutions(session);
}

function afterInput(audience: Audience, presets: Presets): State {
  return presets.input ? { step: 'load', audience, input: presets.input, presets } : { step: 'input-method', audience, presets };
}

const NOTHING_FOUND = 'No status code or known NDR text was found in what you gave.';

type Transitions = { [K in Step]: (state: Extract<State, { step: K }>, answer: Answer) => State };

export const TRANSITIONS: Transitions = {
  audience: (s, a) => (a.type === 'choice' && (a.value === 'sender' || a.value === 'admin') ? afterInput(a.value, s.presets) : bad(s, a)),
  'input-method': (s, a) =>
    a.type === 'choice' && (a.value === 'file' || a.value === 'paste' || a.value === 'code')
      ? { step: 'input', audience: s.audience, method: a.value, presets: s.presets }
      : bad(s, a),
  input: (s, a) => {
    if (a.type !== 'text') return bad(s, a);
    const input: BounceInput = s.method === 'file' ? { method: 'file', path: a.value } : s.method === 'paste' ? { method: 'paste', text: a.value } : { method: 'code', code: a.value };
    return { step: 'load', audience: s.audience, input, presets: s.presets };
  },
  load: (s, a) => {
    if (a.type === 'load-failed') return { step: 'not-found', audience: s.audience, input: s.input, message: a.message, presets: s.presets };
    if (a.type !== 'loaded') return bad(s, a);
    if (!a.loaded.findings.length) return { step: 'not-found', audience: s.audience, input: s.input, message: NOTHING_FOUND, presets: s.presets };
    const session: Session = {
      audience: s.audience, input: s.input, loaded: a.loaded, finding: 0, checked: null, client: null, replayFlags: s.presets.replayFlags, checkFlags: s.presets.checkFlags ?? [],
    };
    return a.loaded.findings.length > 1 ? { step: 'pick-finding', session } : { step: 'diagnosis', session };
  },
  'not-found': (s, a) => {
    if (a.type !== 'choice') return bad(s, a);
    // A retry asks afresh even when --file or --code preset the first try.
    if (a.value === 'retry') return { step: 'input-method', audience: s.audience, presets: { ...s.presets, input: null } };
    if (a.value === 'quit') return { step: 'quit', audience: s.audience, input: s.input, presets: s.presets };
    return bad(s, a);
  },
  'pick-finding': (s, a) => {
    const i = a.type === 'choice' ? Number(a.value) : NaN;
    if (!Number.isInteger(i) || i < 0 || i >= s.session.loaded.findings.length) return bad(s, a);
    return { step: 'diagnosis', session: { ...s.session, finding: i } };
  },
  diagnosis: (s, a) => (a.type === 'shown' ? startPath(s.session) : bad(s, a)),
  'offer-checks': (s, a) => {
    if (a.type !== 'choice') return bad(s, a);
    if (a.value === 'run' && s.domain) return { step: 'run-checks', session: s.session, domain: s.domain };
    if (a.value === 'other') return { step: 'edit-domain', session: s.session, domain: s.domain };
    if (a.value === 'skip') return startSolutions(s.session);
    return bad(s, a);
  },
  'edit-domain': (s, a) => {
    const domain = a.type === 'text' ? normalizeDomain(a.value) : null;
    return domain ? { step: 'run-checks', session: s.session, domain } : bad(s, a);
  },
  'run-checks': (s, a) => (a.type === 'checked' ? { step: 'check-results', session: { ...s.session, checked: s.domain }, domain: s.domain, results: a.results } : bad(s, a)),
  'check-results': (s, a) => (a.type === 'shown' ? startSolutions(s.session) : bad(s, a)),
  'ask-client': (s, a) => (a.type === 'choice' && CLIENT_CHOICES.includes(a.value) ? startSolutions({ ...s.session, client: a.value as ClientChoice }) : bad(s, a)),
  solution: (s, a) => {
    if (a.type !== 'yes-no') return bad(s, a);
    const handoff = sessionSolutions(s.session)[s.index]?.handoff ?? false;
    // A hand-off asks "print a note?" first; the person's own solution asks "did this solve it?".
    if (handoff) return a.value ? { step: 'note', session: s.session, index: s.index } : { step: 'ask-solved', session: s.session, index: s.index };
    return a.value ? { step: 'solved', session: s.session, index: s.index } : advance(s.session, s.index);
  },
  note: (s, a) => (a.type === 'shown' ? { step: 'ask-solved', session: s.session, index: s.index } : bad(s, a)),
  'ask-solved': (s, a) => {
    if (a.type !== 'yes-no') return bad(s, a);
    return a.value ? { step: 'solved', session: s.session, index: s.index } : advance(s.session, s.index);
  },
  solved: (s, a) => bad(s, a),
  exhausted: (s, a) => bad(s, a),
  quit: (s, a) => bad(s, a),
};

export function next(state: State, answer: Answer): State {
  return (TRANSITIONS[state.step] as (s: State, a: Answer) => State)(state, answer);
}

// ---------------------------------------------------------------------------
// Views: what each state shows and asks.

function findingLabel(f: Finding): string {
  const code = [f.replyCode, f.status].filter(Boolean).join(' ') || 'no code';
  const title = f.match?.entry.title ?? f.generic?.detail?.name ?? f.generic?.subject?.name ?? 'unknown code';
  return `${f.recipient ?? '(no address)'}  ${code}  ${title}`;
}

/**
 * `ndr explain` for the note's reader, who has the note but not our file:
 * the code and diagnostic of the finding, the admin's view for admins.
 */
function noteCommand(session: Session, role: Role): string[] {
  const arg = explainArgument({ method: 'paste', text: '' }, currentFinding(session));
  const audience = ADMIN_ROLES.includes(role) || role === 'mail-service' ? ['--audience', 'admin'] : [];
  return arg.startsWith('-') ? ['ndr', 'explain', ...audience, '--', arg] : ['ndr', 'explain', arg, ...audience];
}

function noteFor(session: Session, role: Role, solutions: Solution[]): Note {
  const entry = currentEntry(session);
  return buildNote({
    finding: currentFinding(session),
    entry,
    addressee: role,
    addresseeName: roleName(role, session.audience),
    solutions,
    sender: session.loaded.sender,
    command: noteCommand(session, role),
  });
}

function handoffNote(session: Session, index: number): Note {
  const step = sessionSolutions(session)[index]!;
  const role = step.actor ?? 'sender-admin';
  const extra = adminStepsFor(currentEntry(session), role).filter((s) => s !== step.solution && ADMIN_ROLES.includes(role));
  return noteFor(session, role, [step.solution, ...extra]);
}

function ending(session: Session): Block {
  return { kind: 'commands', commands: replayCommands(session.audience, session.input, session.replayFlags, session) };
}

function checkNames(checks: CheckName[]): string {
  return checks.map((c) => c.toUpperCase()).join(', ');
}

type Views = { [K in Step]: (state: Extract<State, { step: K }>) => View };

export const VIEWS: Views = {
  audience: () => ({
    show: [],
    ask: {
      type: 'select',
      message: 'Who are you?',
      choices: [
        { value: 'sender', name: 'The sender: I sent the message and it came back', description: 'Steps you can take yourself, and a note for whoever else must act.' },
        { value: 'admin', name: 'An e-mail admin: I look after the mail system (Exchange Online, DNS)', description: "The admin's fixes, and DNS checks where they help." },
      ],
    },
  }),
  'input-method': () => ({
    show: [],
    ask: {
      type: 'select',
      message: 'How do you want to give the bounce?',
      choices: [
        { value: 'file', name: 'A file: the saved bounce message (.eml or .txt)' },
        { value: 'paste', name: 'Paste the text of the bounce' },
        { value: 'code', name: 'Type the code (such as 5.1.10 or 550 5.1.10)' },
      ],
    },
  }),
  input: (s) => ({
    show: [],
    ask:
      s.method === 'file'
        ? { type: 'input', message: 'Path of the saved bounce:', check: 'path' }
        : s.method === 'code'
          ? { type: 'input', message: 'The code (such as 5.1.10, or 550 5.1.10):', check: 'code' }
          : { type: 'multiline', message: 'Paste the text of the bounce. End with a line holding only a dot (.), or Ctrl+D on an empty line.' },
  }),
  load: (s) => ({ show: [], ask: { type: 'load', input: s.input } }),
  'not-found': (s) => ({
    show: [{ kind: 'message', text: s.message }],
    ask: {
      type: 'select',
      message: 'What now?',
      choices: [
        { value: 'retry', name: 'Give the bounce another way' },
        { value: 'quit', name: 'Quit' },
      ],
    },
  }),
  'pick-finding': (s) => ({
    show: [],
    ask: {
      type: 'select',
      message: `The bounce lists ${s.session.loaded.findings.length} failed recipients. Which one do you want to work on?`,
      choices: s.session.loaded.findings.map((f, i) => ({ value: String(i), name: findingLabel(f) })),
    },
  }),
  diagnosis: (s) => ({ show: [{ kind: 'diagnosis', finding: currentFinding(s.session) }], ask: { type: 'continue' } }),
  'offer-checks': (s) => {
    const checks = checkNames(currentEntry(s.session)?.checks ?? []);
    const side = checkSide(currentEntry(s.session));
    return {
      show: [],
      ask: s.domain
        ? {
            type: 'select',
            message: `Run the DNS checks (${checks}) for ${s.domain} now?`,
            choices: [
              { value: 'run', name: `Yes, check ${s.domain}` },
              { value: 'other', name: 'Yes, but let me change the domain' },
              { value: 'skip', name: 'No, go on to the solutions' },
            ],
          }
        : {
            type: 'select',
            message: `Run the DNS checks (${checks}) for the ${side}'s domain now?`,
            choices: [
              { value: 'other', name: 'Yes, let me type the domain' },
              { value: 'skip', name: 'No, go on to the solutions' },
            ],
          },
    };
  },
  'edit-domain': (s) => ({ show: [], ask: { type: 'input', message: 'Domain to check:', check: 'domain', ...(s.domain ? { default: s.domain } : {}) } }),
  'run-checks': (s) => ({ show: [], ask: { type: 'checks', domain: s.domain, checks: currentEntry(s.session)?.checks ?? [] } }),
  'check-results': (s) => {
    const entry = currentEntry(s.session);
    return {
      show: [{ kind: 'checks', domain: s.domain, results: s.results, pointers: checkPointers(entry, s.results) }],
      ask: { type: 'continue' },
    };
  },
  'ask-client': (s) => ({
    show: [],
    ask: {
      type: 'select',
      message: s.session.audience === 'sender' ? 'Which Outlook do you send mail with? The steps differ.' : 'Which Outlook does the person use? The steps differ.',
      choices: [
        { value: 'outlook-web', name: 'Outlook on the web (in a browser), or the new Outlook for Windows' },
        { value: 'outlook-classic', name: 'Classic Outlook for Windows (the desktop program)' },
        { value: 'any', name: 'Another program, or not sure: show the steps for both' },
      ],
    },
  }),
  solution: (s) => {
    const all = sessionSolutions(s.session);
    const step = all[s.index]!;
    const block: Block = { kind: 'solution', solution: step.solution, letter: letter(s.index), total: all.length, actor: step.actor, handoff: step.handoff, audience: s.session.audience };
    const who = step.actor ? roleName(step.actor, s.session.audience) : 'them';
    return {
      show: [block],
      ask: step.handoff ? { type: 'confirm', message: `Print a ready-to-send note for ${who}?`, default: true } : { type: 'confirm', message: 'Did this solve it?', default: false },
    };
  },
  note: (s) => ({ show: [{ kind: 'note', note: handoffNote(s.session, s.index) }], ask: { type: 'continue' } }),
  'ask-solved': () => ({ show: [], ask: { type: 'confirm', message: 'Did this solve it?', default: false } }),
  solved: (s) => {
    const step = sessionSolutions(s.session)[s.index]!;
    const f = currentFinding(s.session);
    const what = [[f.replyCode, f.status].filter(Boolean).join(' '), currentEntry(s.session)?.title].filter(Boolean).join(' ');
    const text = `Solved: ${what}${f.recipient ? ` for ${f.recipient}` : ''}, by ${letter(s.index)}. ${step.solution.title}.`;
    return { show: [{ kind: 'message', text }, ending(s.session)], ask: { type: 'end', outcome: 'solved' } };
  },
  exhausted: (s) => {
    const entry = currentEntry(s.session);
    const tried = sessionSolutions(s.session).length;
    if (s.session.audience === 'sender') {
      const role = escalationRole(entry);
      const lead = tried ? "That was the last thing you can try yourself." : 'There is nothing you can fix yourself here.';
      return {
        show: [{ kind: 'message', text: `${lead} Send this note to ${role === 'sender-admin' ? 'your e-mail admin or IT helpdesk' : `${ROLE_NAMES[role]} (your IT helpdesk can pass it on)`}:` }, { kind: 'note', note: noteFor(s.session, role, adminStepsFor(entry, role)) }, ending(s.session)],
        ask: { type: 'end', outcome: 'exhausted' },
      };
    }
    const text = entry
      ? `That was the last solution ndr knows for "${entry.title}". If the problem stays, collect a message trace and open a support case with Microsoft; the commands below repeat this session for the ticket.`
      : 'ndr has no specific entry for this code; the standard meaning is above. A message trace in the Exchange admin center shows where the message stopped.';
    return { show: [{ kind: 'message', text }, ending(s.session)], ask: { type: 'end', outcome: 'exhausted' } };
  },
  quit: (s) => ({
    show: [{ kind: 'commands', commands: replayCommands(s.audience, s.input, s.presets.replayFlags, null) }],
    ask: { type: 'end', outcome: 'quit' },
  }),
};

export function view(state: State): View {
  return (VIEWS[state.step] as (s: State) => View)(state);
}

export function initialState(presets: Presets): State {
  return presets.audience ? afterInput(presets.audience, presets) : { step: 'audience', presets };
}
