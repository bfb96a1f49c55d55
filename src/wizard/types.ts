/**
 * The shapes of the wizard's state machine: its states, the answers that move
 * it on, and the views (what to show, what to ask) the driver acts on.
 */
import type { CheckResult } from '../checks/types.js';
import type { Finding } from '../explain/finding.js';
import type { CheckName, Client, Role, Solution } from '../knowledge/types.js';
import type { Audience, Block, Note } from '../render/wizard-blocks.js';

export type { Audience, Block, Note };

export type InputMethod = 'file' | 'paste' | 'code';

export type BounceInput = { method: 'file'; path: string } | { method: 'paste'; text: string } | { method: 'code'; code: string };

/** What loading the bounce produced. */
export interface Loaded {
  findings: Finding[];
  /** The address the bounced message was sent from, when the bounce names it. */
  sender: string | null;
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
  | { step: 'check-results'; session: Session; domain: string; results: CheckResult[] }
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
  /** The checks of the families the entry names, as `ndr check-mx` reports them. */
  | { type: 'checked'; results: CheckResult[] }
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

export interface View {
  show: Block[];
  ask: Ask;
}

/** One solution on the audience's path, with who carries it out. */
export interface PathSolution {
  solution: Solution;
  /** null: the audience itself, no one in particular named. */
  actor: Role | null;
  /** True when someone other than the person at the keyboard must act. */
  handoff: boolean;
}
