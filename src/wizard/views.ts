/**
 * The wizard's wording: `view(state)` says what each state shows and asks,
 * from a table keyed by the state's step. Pure; the renderer
 * (src/render/wizard-text.ts) and the prompt adapter sanitise every string.
 */
import type { Finding } from '../explain/finding.js';
import type { CheckName, Role, Solution } from '../knowledge/types.js';
import { contactName } from '../render/roles.js';
import { buildNote, type Note } from './note.js';
import {
  ADMIN_ROLES,
  adminStepsFor,
  checkPointers,
  checkSide,
  currentEntry,
  currentFinding,
  escalationRole,
  explainArgument,
  letter,
  replayCommands,
  sessionSolutions,
} from './session.js';
import type { Block, Session, State, Step, View } from './types.js';

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
    addresseeName: contactName(role, session.audience),
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
        {
          value: 'sender',
          name: 'The sender: I sent the message and it came back',
          description: 'Steps you can take yourself, and a note for whoever else must act.',
        },
        {
          value: 'admin',
          name: 'An e-mail admin: I look after the mail system (Exchange Online, DNS)',
          description: "The admin's fixes, and DNS checks where they help.",
        },
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
          : {
              type: 'multiline',
              message: 'Paste the text of the bounce. End with a line holding only a dot (.), or Ctrl+D on an empty line.',
            },
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
  'edit-domain': (s) => ({
    show: [],
    ask: { type: 'input', message: 'Domain to check:', check: 'domain', ...(s.domain ? { default: s.domain } : {}) },
  }),
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
      message:
        s.session.audience === 'sender'
          ? 'Which Outlook do you send mail with? The steps differ.'
          : 'Which Outlook does the person use? The steps differ.',
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
    const block: Block = {
      kind: 'solution',
      solution: step.solution,
      letter: letter(s.index),
      total: all.length,
      actor: step.actor,
      handoff: step.handoff,
      audience: s.session.audience,
    };
    const who = step.actor ? contactName(step.actor, s.session.audience) : 'them';
    return {
      show: [block],
      ask: step.handoff
        ? { type: 'confirm', message: `Print a ready-to-send note for ${who}?`, default: true }
        : { type: 'confirm', message: 'Did this solve it?', default: false },
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
      const lead = tried ? 'That was the last thing you can try yourself.' : 'There is nothing you can fix yourself here.';
      return {
        show: [
          {
            kind: 'message',
            text: `${lead} Send this note to ${role === 'sender-admin' ? 'your e-mail admin or IT helpdesk' : `${contactName(role)} (your IT helpdesk can pass it on)`}:`,
          },
          { kind: 'note', note: noteFor(s.session, role, adminStepsFor(entry, role)) },
          ending(s.session),
        ],
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
