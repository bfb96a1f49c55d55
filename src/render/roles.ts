/**
 * How ndr names the people a knowledge-base entry says must act, in one
 * table with two wordings on purpose: `party` names the side in the mail flow
 * (explain's "Who must act" and owner picture), `contact` names whom to reach
 * (the wizard's hand-offs and notes, where "Microsoft support" is the one to
 * write to and "the sender's e-mail admin" reads better in a note).
 */
import type { Role } from '../knowledge/types.js';

export const ROLE_NAMES: Record<Role, { party: string; contact: string }> = {
  sender: { party: 'the sender', contact: 'the sender' },
  recipient: { party: 'the recipient', contact: 'the recipient' },
  'group-owner': { party: 'the group owner', contact: 'the group owner' },
  'sender-admin': { party: "the sender's admin", contact: "the sender's e-mail admin" },
  'recipient-admin': { party: "the recipient's admin", contact: "the recipient's e-mail admin" },
  'mail-service': { party: 'the mail service (Microsoft)', contact: 'Microsoft support (the mail service)' },
};

/** The side in the mail flow: "the sender's admin". */
export function partyName(role: Role): string {
  return ROLE_NAMES[role].party;
}

/**
 * Whom to reach, as the person at the keyboard would say it: a sender's own
 * admin is "your e-mail admin"; without an audience, "the sender's e-mail admin".
 */
export function contactName(role: Role, audience: 'sender' | 'admin' | null = null): string {
  return audience === 'sender' && role === 'sender-admin' ? 'your e-mail admin' : ROLE_NAMES[role].contact;
}
