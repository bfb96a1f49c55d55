import { describe, expect, it } from 'vitest';
import { namedRecipients, recipientFinder } from '../../src/bounce/recipient-anchors.js';

describe('namedRecipients: the failed recipients pasted text names', () => {
  const named = (text: string, expected: string[]) => it(JSON.stringify(text), () => expect(namedRecipients(text)).toEqual(expected));
  // A server reply that names the address.
  named('550 5.1.1 <erik.lind@fabrikam.example>: Recipient address rejected: User unknown in virtual mailbox table', [
    'erik.lind@fabrikam.example',
  ]);
  named('host mx.fabrikam.example[203.0.113.25] said: 550-5.1.1 lars@fabrikam.example... No such user', ['lars@fabrikam.example']);
  named('550 <h.olsen@northwind.example>... User unknown', ['h.olsen@northwind.example']);
  // Words that name a recipient.
  named('Recipient jonas.weber@fabrikam.example not found (550 5.1.1)', ['jonas.weber@fabrikam.example']);
  named('Delivery to ingrid.dahl@fabrikam.example failed permanently: mailbox full', ['ingrid.dahl@fabrikam.example']);
  named("Your message couldn't be delivered to kari@fabrikam.example because the mailbox is full.", ['kari@fabrikam.example']);
  named('550 5.7.1 Unable to relay for sales@northwind.example', ['sales@northwind.example']);
  named('The following recipient(s) could not be reached: salg@fabrikam.example', ['salg@fabrikam.example']);
  // A line of its own, "<address>: ...", a transcript's RCPT TO.
  named('Delivery has failed to these recipients or groups:\n\ntomas@fabrikam.example\nThe email address you entered could not be found.', [
    'tomas@fabrikam.example',
  ]);
  named('<orders@fabrikam.example>: host mx.fabrikam.example said: 552 5.2.2 over quota', ['orders@fabrikam.example']);
  named('>>> RCPT TO:<billing@fabrikam.example>\n<<< 550 5.1.1 unknown', ['billing@fabrikam.example']);
  named('Recipient: username@fabrikam.example\n550 5.1.1 unknown user', ['username@fabrikam.example']);
  // The returned message's To in a pasted Exchange 5.5/2003 report is not the failed recipient; alone, it is.
  named(
    'Your message\n\n  To:      office@fabrikam.example\n  Subject: Price list\n\ndid not reach the following recipient(s):\n\norders@fabrikam.example on 12.03.2004 08:15\n    The recipient name is not recognized',
    ['orders@fabrikam.example'],
  );
  named('To: orders@fabrikam.example\n550 5.1.1 User unknown', ['orders@fabrikam.example']);
  // The only address of a short diagnostic.
  named('554 5.7.1 Message rejected by policy (mette.jensen@fabrikam.example)', ['mette.jensen@fabrikam.example']);
  // Several recipients, in order, once each.
  named('a@fabrikam.example\n  550 5.1.1 unknown\nb@fabrikam.example\n  552 5.2.2 full\na@fabrikam.example', [
    'a@fabrikam.example',
    'b@fabrikam.example',
  ]);

  // Not the sender, a postmaster, a daemon or an address in a link.
  named('550 5.7.1 <anna@contoso.example>: Sender address rejected: Domain not found', []);
  named('MAIL FROM:<anna@contoso.example> 550 5.7.1 rejected', []);
  named('said: 553 5.1.8 <anna@contoso.example>... Domain of sender address anna@contoso.example does not exist', []);
  named('550 5.7.1 Message rejected. Contact postmaster@fabrikam.example for help.', []);
  named('550 5.7.1 Blocked, see https://filter.fabrikam.example/lookup?addr=ops@contoso.example', []);
  named('From: anna@contoso.example\nSubject: Quarterly figures\n550 5.7.1 rejected', []);
  named(
    'If the problem persists, send an error report to helpdesk@contoso.example and quote 550 5.7.1, and copy it to it@contoso.example.',
    [],
  );
  named('550 5.1.1 User unknown', []);
  named('5.7.1', []);
});

describe('recipientFinder', () => {
  it('gives the one named recipient to every finding, and of several the one the finding names', () => {
    expect(recipientFinder(['a@x.example'])('550 5.7.1 rejected')).toBe('a@x.example');
    const two = recipientFinder(['a@x.example', 'B@x.example']);
    expect(two('b@x.example: 552 5.2.2 full')).toBe('B@x.example');
    expect(two('451 4.3.0 queue error')).toBeNull();
    expect(recipientFinder([])('550 5.1.1')).toBeNull();
  });

  it('stays fast on hostile text: hundreds of named recipients and thousands of codes', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `user${i}@fabrikam.example`);
    for (let i = 0; i < 8000; i++) lines.push(`550 5.${i % 8}.${i % 999} Recipient user${i % 600}@fabrikam.example rejected`);
    const input = lines.join('\n');
    const t0 = performance.now();
    const find = recipientFinder(namedRecipients(input, input.length));
    for (const line of lines) find(line);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
