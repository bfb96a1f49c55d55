/** A knowledge base, findings and sessions for the wizard's state machine tests. */
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/explain/finding.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { Answer, Presets, Session } from '../../src/wizard/types.js';

export const kb = loadKnowledgeBase({ dir: fileURLToPath(new URL('./fixtures/kb/', import.meta.url)) });

export function finding(code: string, recipient: string | null = null): Finding {
  const f = explainText(kb, code).findings[0]!;
  return { ...f, recipient };
}

export const presets: Presets = { audience: null, input: null, replayFlags: [] };
export const code = (c: string) => ({ method: 'code' as const, code: c });

export function session(over: Partial<Session> & { findings?: Finding[] } = {}): Session {
  const { findings, ...rest } = over;
  return {
    audience: 'sender',
    input: code('5.1.10'),
    loaded: { findings: findings ?? [finding('5.1.10', 'alice@contoso.com')], sender: 'bob@fabrikam.com' },
    finding: 0,
    checked: null,
    client: null,
    replayFlags: [],
    ...rest,
  };
}
export const sender = session();
export const admin = session({ audience: 'admin' });
export const twoRecipients = session({ findings: [finding('5.1.10', 'alice@contoso.com'), finding('5.3.4', 'carol@contoso.com')] });

export const choice = (value: string): Answer => ({ type: 'choice', value });
export const yes: Answer = { type: 'yes-no', value: true };
export const no: Answer = { type: 'yes-no', value: false };
export const text = (value: string): Answer => ({ type: 'text', value });
export const shown: Answer = { type: 'shown' };
export const loaded = (...findings: Finding[]): Answer => ({ type: 'loaded', loaded: { findings, sender: null } });
