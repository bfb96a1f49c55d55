/**
 * The wizard's transitions: `next(state, answer)` gives the following state,
 * from a table keyed by the state's step. No I/O: the driver (run.ts) feeds
 * the effects' results (the loaded bounce, the DNS checks) back in as answers.
 */
import { parseDomain } from '../domain/name.js';
import { checkDomainFor, currentEntry, sessionSolutions, solutionsDifferByClient } from './session.js';
import type { Answer, Audience, BounceInput, ClientChoice, Presets, Session, State, Step } from './types.js';

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

/** A domain typed at the prompt: exactly what `ndr check-mx` accepts (src/domain/name.ts parseDomain). */
export function typedDomain(text: string): string | null {
  const parsed = parseDomain(text);
  return 'domain' in parsed ? parsed.domain : null;
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
    const input: BounceInput =
      s.method === 'file'
        ? { method: 'file', path: a.value }
        : s.method === 'paste'
          ? { method: 'paste', text: a.value }
          : { method: 'code', code: a.value };
    return { step: 'load', audience: s.audience, input, presets: s.presets };
  },
  load: (s, a) => {
    if (a.type === 'load-failed')
      return { step: 'not-found', audience: s.audience, input: s.input, message: a.message, presets: s.presets };
    if (a.type !== 'loaded') return bad(s, a);
    if (!a.loaded.findings.length)
      return { step: 'not-found', audience: s.audience, input: s.input, message: NOTHING_FOUND, presets: s.presets };
    const session: Session = {
      audience: s.audience,
      input: s.input,
      loaded: a.loaded,
      finding: 0,
      checked: null,
      client: null,
      replayFlags: s.presets.replayFlags,
      checkFlags: s.presets.checkFlags ?? [],
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
    const domain = a.type === 'text' ? typedDomain(a.value) : null;
    return domain ? { step: 'run-checks', session: s.session, domain } : bad(s, a);
  },
  'run-checks': (s, a) =>
    a.type === 'checked'
      ? { step: 'check-results', session: { ...s.session, checked: s.domain }, domain: s.domain, results: a.results }
      : bad(s, a),
  'check-results': (s, a) => (a.type === 'shown' ? startSolutions(s.session) : bad(s, a)),
  'ask-client': (s, a) =>
    a.type === 'choice' && CLIENT_CHOICES.includes(a.value) ? startSolutions({ ...s.session, client: a.value as ClientChoice }) : bad(s, a),
  solution: (s, a) => {
    if (a.type !== 'yes-no') return bad(s, a);
    const handoff = sessionSolutions(s.session)[s.index]?.handoff ?? false;
    // A hand-off asks "print a note?" first; the person's own solution asks "did this solve it?".
    if (handoff)
      return a.value ? { step: 'note', session: s.session, index: s.index } : { step: 'ask-solved', session: s.session, index: s.index };
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

export function initialState(presets: Presets): State {
  return presets.audience ? afterInput(presets.audience, presets) : { step: 'audience', presets };
}
