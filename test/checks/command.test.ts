import { describe, expect, it } from 'vitest';
import { checkMxCommand, type CheckCommandInput } from '../../src/checks/command.js';

describe('checkMxCommand (the command ndr explain suggests)', () => {
  const base: CheckCommandInput = { checks: ['mx'], checkDomain: 'recipient', recipient: 'user@contoso.com', sender: 'me@fabrikam.com' };
  const cmd = (change: Partial<CheckCommandInput>, expected: string | null) =>
    it(`${JSON.stringify(change)} -> ${expected}`, () => expect(checkMxCommand({ ...base, ...change })).toBe(expected));

  cmd({}, 'ndr check-mx contoso.com');
  cmd({ checkDomain: 'sender' }, 'ndr check-mx fabrikam.com');
  cmd({ recipient: '<User@Contoso.COM>' }, 'ndr check-mx contoso.com');
  cmd({ recipient: 'Jane Doe <jane@sales.contoso.com>' }, 'ndr check-mx sales.contoso.com');
  cmd({ recipient: 'user@bücher.example' }, 'ndr check-mx xn--bcher-kva.example');
  cmd({ recipient: '"odd@local"@contoso.com' }, 'ndr check-mx contoso.com');
  cmd({ checks: [] }, null);
  cmd({ checkDomain: null }, null);
  cmd({ recipient: null }, null);
  cmd({ recipient: 'user@' }, null);
  cmd({ recipient: 'user@localhost' }, null);
  cmd({ recipient: 'user@[192.0.2.1]' }, null);
  cmd({ recipient: 'user@192.0.2.1' }, null);
  // Untrusted text never reaches the command line.
  cmd({ recipient: 'user@contoso.com; rm -rf ~' }, null);
  cmd({ recipient: 'user@$(reboot).com' }, null);
  cmd({ recipient: 'user@contoso.com`id`' }, null);
  cmd({ recipient: "user@contoso.com' x" }, null);
  cmd({ recipient: 'user@contoso.com\n--json' }, null);
  cmd({ recipient: 'user@contoso\u202e.com' }, null);
  cmd({ recipient: 'user@-contoso.com' }, null);
  cmd({ recipient: 'user@contoso_mail.com' }, null);
  cmd({ recipient: `user@${'a'.repeat(64)}.com` }, null);
});
