import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMxCommand, type CheckCommandInput } from '../../src/checks/command.js';
import { toHostname } from '../../src/checks/domain.js';

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

describe('toHostname', () => {
  const ok = (input: string, expected: string | null) => it(`${JSON.stringify(input)} -> ${expected}`, () => expect(toHostname(input)).toBe(expected));
  ok('Contoso.COM.', 'contoso.com');
  ok('xn--bcher-kva.example', 'xn--bcher-kva.example');
  ok('BÜCHER.example', 'xn--bcher-kva.example');
  ok('contoso', null);
  ok('contoso..com', null);
  ok('contoso.123', null);
  ok('', null);
  // IP literals are no host names (toHostname has no IP test of its own: see its comment).
  ok('192.0.2.1', null);
  ok('192.0.2.1.', null);
  ok('１９２．０．２．１', null);
  ok('2001:db8::1', null);
  ok('::ffff:192.0.2.1', null);
  ok('[2001:db8::1]', null);
  ok('fe80::1%eth0', null);

  it('never returns an IP address, nor anything node:net calls one', () => {
    const seed = Number(process.env.NDR_FUZZ_SEED ?? 20261122);
    const ipish = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6(),
      fc.ipV4().map((a) => `${a}.`),
      fc.stringMatching(/^[0-9a-fA-F.:x]{1,40}$/),
      fc.domain(),
    );
    fc.assert(
      fc.property(ipish, (text) => {
        const host = toHostname(text);
        if (isIP(text) !== 0) expect(host).toBeNull();
        if (host !== null) expect(isIP(host)).toBe(0);
      }),
      { seed, numRuns: 3000 },
    );
  });
});
