import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/knowledge/types.js';
import { contactName, partyName } from '../../src/render/roles.js';

describe('role names: the side in the mail flow (explain) and whom to reach (the wizard)', () => {
  const row = (role: Role, audience: 'sender' | 'admin' | null, party: string, contact: string) =>
    it(`${role} for ${audience ?? 'anyone'}`, () => {
      expect(partyName(role)).toBe(party);
      expect(contactName(role, audience)).toBe(contact);
    });
  row('sender', null, 'the sender', 'the sender');
  row('group-owner', 'admin', 'the group owner', 'the group owner');
  row('sender-admin', null, "the sender's admin", "the sender's e-mail admin");
  row('sender-admin', 'admin', "the sender's admin", "the sender's e-mail admin");
  row('sender-admin', 'sender', "the sender's admin", 'your e-mail admin');
  row('recipient-admin', 'sender', "the recipient's admin", "the recipient's e-mail admin");
  row('mail-service', null, 'the mail service (Microsoft)', 'Microsoft support (the mail service)');
});
