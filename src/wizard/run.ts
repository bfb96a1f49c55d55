/**
 * The driver: walks the state machine (transitions.ts, views.ts), printing each view's blocks,
 * asking its question through the prompt adapter and performing its effect
 * through the world adapters. All decisions stay in transitions.ts and views.ts.
 */
import { renderBlock, type RenderOptions } from '../render/wizard-text.js';
import type { PromptUi } from './prompts.js';
import { next, typedDomain } from './transitions.js';
import type { Answer, Ask, State } from './types.js';
import { view } from './views.js';
import type { WizardWorld } from './world.js';
import { expandPath } from './world.js';

export type Outcome = Extract<Ask, { type: 'end' }>['outcome'];

export interface WizardDeps {
  ui: PromptUi;
  world: WizardWorld;
  render: RenderOptions;
  signal: AbortSignal;
  /** The most pasted text accepted (the command passes explain's input limit). */
  maxPasteChars: number;
  /** Called with every state entered, for tests and tracing. */
  onState?: (state: State) => void;
}

/** A code or reply typed by hand: it must hold an enhanced status code or an SMTP reply code. */
const HAS_CODE = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)|(?<!\d)[245]\d\d(?!\d)/;

export function checkCode(value: string): true | string {
  const v = value.trim();
  if (!v) return 'Type a code such as 5.1.10 or 550 5.1.10.';
  if (v.length > 1000) return 'That is long for a code: choose "Paste the text of the bounce" instead.';
  return HAS_CODE.test(v) ? true : 'No code found: type a code such as 5.1.10, 5.7.1 or 550.';
}

export function checkDomain(value: string): true | string {
  return typedDomain(value) ? true : 'Type a domain name such as contoso.com.';
}

async function answer(ask: Exclude<Ask, { type: 'end' }>, d: WizardDeps): Promise<Answer> {
  switch (ask.type) {
    case 'continue':
      return { type: 'shown' };
    case 'select':
      return { type: 'choice', value: await d.ui.select(ask) };
    case 'confirm':
      return { type: 'yes-no', value: await d.ui.confirm(ask) };
    case 'input': {
      if (ask.check === 'path') {
        const value = await d.ui.input({ message: ask.message, validate: (v) => d.world.checkFile(expandPath(v)) });
        return { type: 'text', value: expandPath(value) };
      }
      const validate = ask.check === 'code' ? checkCode : checkDomain;
      const value = await d.ui.input({ message: ask.message, validate, ...(ask.default !== undefined ? { default: ask.default } : {}) });
      return { type: 'text', value: ask.check === 'domain' ? typedDomain(value)! : value.trim() };
    }
    case 'multiline': {
      for (;;) {
        const text = await d.ui.multiline({ message: ask.message, maxChars: d.maxPasteChars });
        if (text.trim()) return { type: 'text', value: text };
        d.ui.print('Nothing was pasted.');
      }
    }
    case 'load':
      return d.world.load(ask.input, d.signal);
    case 'checks':
      d.ui.print(`Checking ${ask.domain} …`);
      return { type: 'checked', results: await d.world.runChecks(ask.domain, ask.checks, d.signal) };
  }
}

/** Runs the wizard from `start` to one of its ends. Rejects on Ctrl+C (see prompts.ts isInterrupt). */
export async function runWizardFlow(start: State, d: WizardDeps): Promise<Outcome> {
  let state = start;
  for (;;) {
    d.onState?.(state);
    const v = view(state);
    for (const block of v.show) d.ui.print(renderBlock(block, d.render));
    if (v.ask.type === 'end') return v.ask.outcome;
    state = next(state, await answer(v.ask, d));
  }
}
