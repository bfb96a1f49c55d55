/**
 * How the entry and the reason are decided from the code and the words
 * (src/knowledge/decide.ts), on the bundled knowledge base: for each rule,
 * inputs that must change entry and inputs that must not.
 */
import { describe, expect, it } from 'vitest';
import { entryMatchesQuery } from '../../src/cli/commands/codes.js';
import { decide, needsWords } from '../../src/knowledge/decide.js';
import { explainCode } from '../../src/explain/code.js';
import { explainText } from '../../src/explain/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { REASON_CODES, REASON_ENTRIES } from '../../src/knowledge/reason-codes.js';
import { reasonFromWords, REASON_PHRASES } from '../../src/knowledge/reason-words.js';
import { REASONS, sameReason } from '../../src/knowledge/reasons.js';

const kb = loadKnowledgeBase();

/** The first finding's entry id (or "-" for none) and reason. */
function picks(input: string): string {
  const f = explainText(kb, input).findings[0];
  return f ? `${f.match?.entry.id ?? '-'} ${f.reason}` : 'nothing';
}

const ok = (input: string, expected: string) => it(`${input} -> ${expected}`, () => expect(picks(input)).toBe(expected));

describe('words that name a cause beat a code-only match about another cause', () => {
  describe('must change entry', () => {
    ok('550 5.7.1 Message rejected as spam by Content Filtering.', 'content-filter-spam-rejection spamdetected');
    ok('550 5.7.1 Message infected with a virus', '- virusdetected');
    ok('550 5.7.1 No such user', 'user-unknown userunknown');
    ok('550 5.7.1 No mailbox found', 'user-unknown userunknown');
    ok('550 5.1.0 Recipient rejected', 'user-unknown userunknown');
    ok('552 5.2.3 user diskspace quota exceeded', 'mailbox-full-other-codes mailboxfull');
    ok('550 5.1.1 recipient overquota', 'mailbox-full mailboxfull');
    ok('550 5.1.1 max message size exceeded', 'message-too-big mesgtoobig');
    ok('550 5.7.1 Message size exceeds the limit (Class=size)', 'message-too-large-for-recipient mesgtoobig');
    ok('550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org', 'third-party-blocklist blocked');
  });
  describe('must not change entry', () => {
    ok('5.7.1', 'delivery-not-authorized filtered');
    ok('550 5.1.1 User unknown', 'user-unknown userunknown');
    ok('554 5.2.2 mailbox full', 'mailbox-full mailboxfull');
    // Weak words (a generic "access denied") do not move a specific code's entry.
    ok('550 5.7.1 Access denied', 'delivery-not-authorized filtered');
    ok('552 5.2.3 Message too large for this recipient', 'message-too-large-for-recipient exceedlimit');
  });

  it('keeps the code\'s entry as "see also", in JSON under match', () => {
    const f = explainText(kb, '550 5.7.1 No such user').findings[0]!;
    expect(f.seeAlso?.entry.id).toBe('delivery-not-authorized');
    expect(f.seeAlso?.code).toBe('5.7.1');
    expect(f.match?.tier).toBe('words');
    const none = explainText(kb, '550 5.7.1 Message infected with a virus').findings[0]!;
    expect([none.match, none.seeAlso?.entry.id]).toEqual([null, 'delivery-not-authorized']);
    expect(explainText(kb, '550 5.1.1 User unknown').findings[0]!.seeAlso).toBeNull();
  });
});

describe('a generic code (detail 0) never blocks the words', () => {
  describe('must change entry', () => {
    ok('550 5.0.0 User unknown', 'user-unknown userunknown');
    ok('452 4.0.0 Mailbox full', 'mailbox-full mailboxfull');
    ok('550 5.0.0 Relay access denied', 'relay-denied norelaying');
    ok('550 5.0.0 No PTR record for 192.0.2.1', 'reverse-dns-missing requireptr');
  });
  describe('must not change entry', () => {
    ok('550 5.1.0 Address rejected: sender denied', 'sender-denied rejected');
    ok('4.4.0', 'network-routing-error networkerror');
  });
});

describe("Microsoft's own codes and tokens stay authoritative", () => {
  describe('must not change entry', () => {
    ok('550 5.7.606 Access denied, banned sending IP [192.0.2.1]; spam', 'banned-sending-ip blocked');
    ok('550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'dbeb-recipient-rejected userunknown');
    ok('451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation', 'ip-throttled badreputation');
    ok('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'recipient-not-found userunknown');
  });
  describe("must change entry (the same words with a remote server's code)", () => {
    ok('550 5.7.1 Access denied, mailbox full', 'mailbox-full mailboxfull');
  });
});

describe("a reply wrapped by Exchange reads the wrapper's words", () => {
  it('5.7.350 ... detected as spam -> 554 5.7.1 Service unavailable is spam, not a group permission', () => {
    const [outer, inner] = explainText(
      kb,
      '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable',
    ).findings;
    expect(outer!.reason).toBe('spamdetected');
    expect(inner!.reason).toBe('spamdetected');
    expect(inner!.match?.entry.id).toBe('content-filter-spam-rejection');
  });
});

describe('causes in prose, without a code', () => {
  ok('571 No PTR Record found. Reverse DNS required', 'reverse-dns-missing requireptr');
  ok('The recipient mailbox is full and cannot accept messages now', 'mailbox-full mailboxfull');
  ok('Sorry, no mailbox here by that name', 'user-unknown userunknown');
  ok('This account has been disabled or discontinued', 'mailbox-disabled suspend');
  ok('The mailbox has moved to a new address', 'mailbox-moved-no-forwarding hasmoved');
  ok('Host or domain name not found', 'recipient-domain-not-found hostunknown');
  ok('Relay access denied', 'relay-denied norelaying');
  ok('Your message looks like spam and was refused', 'content-filter-spam-rejection spamdetected');
  ok('Message refused: a virus was found in an attachment', '- virusdetected');
  ok('Your IP address is listed at Barracuda', 'third-party-blocklist blocked');
  ok('Blocked: listed in SpamCop', 'third-party-blocklist blocked');
  ok('Your network is on our block list (S3150)', 'outlook-com-network-block blocked');
  ok('SPF check failed for the sending domain', 'sender-denied-spf authfailure');
  ok('DKIM signature invalid', 'multiple-authentication-failed authfailure');
  ok('DMARC policy of the sender domain is reject', 'multiple-authentication-failed authfailure');
  ok('Must issue a STARTTLS command first', '- failedstarttls');
  ok('Message too large for the system', 'message-too-big mesgtoobig');
  ok('Too many recipients in this message', 'too-many-recipients-per-message toomanyconn');
  ok('Greylisted, please try again later', '- speeding');
  ok('Message expired after sitting in the queue for 5 days', 'message-expired expired');
  ok('Mail loop detected: too many hops', 'routing-loop networkerror');
  describe('Exchange user sections in Danish, Norwegian, Swedish and German', () => {
    ok(
      'Postboksen til mottakeren er full og kan ikke ta imot meldinger nå. Prøv å sende meldingen på nytt senere, eller kontakt mottakeren direkte.',
      'mailbox-full mailboxfull',
    );
    ok('Modtagerens postkasse er fuld og kan ikke modtage meddelelser lige nu.', 'mailbox-full mailboxfull');
    ok('Mottagarens brevlåda är full och kan inte ta emot meddelanden just nu.', 'mailbox-full mailboxfull');
    ok('Das Postfach des Empfängers ist voll und kann derzeit keine Nachrichten empfangen.', 'mailbox-full mailboxfull');
    ok(
      'Die eingegebene E-Mail-Adresse konnte nicht gefunden werden. Überprüfen Sie die E-Mail-Adresse des Empfängers.',
      'user-unknown userunknown',
    );
    ok('E-postadressen du angav kunde inte hittas. Kontrollera mottagarens e-postadress.', 'user-unknown userunknown');
    ok('Det finnes ingen postboks for ingrid.dahl hos fabrikam.example.', 'user-unknown userunknown');
    ok('Mailadressen blev ikke fundet. Kontrollér modtagerens adresse.', 'user-unknown userunknown');
    ok('Die Nachricht ist zu groß für das E-Mail-System des Empfängers.', 'message-too-big mesgtoobig');
    ok('Modtagerens mailserver afviste meddelelsen, fordi den blev vurderet som spam.', 'content-filter-spam-rejection spamdetected');
    ok('Die IP-Adresse, von der Ihre Nachricht gesendet wurde, ist gesperrt.', 'third-party-blocklist blocked');
    ok(
      'Din meddelelse blev ikke leveret, fordi gruppen kun modtager mail fra godkendte afsendere i organisationen.',
      'delivery-not-authorized filtered',
    );
    ok('Das DNS hat gemeldet, dass die Domäne des Empfängers nicht vorhanden ist.', 'recipient-domain-not-found hostunknown');
  });
  describe('text that names no cause explains nothing', () => {
    ok('Hello, see you tomorrow', 'nothing');
    ok('Meeting notes attached', 'nothing');
  });
});

describe('reasons', () => {
  it('every entry declares a reason of the vocabulary', () => {
    for (const e of kb.entries) expect(REASONS, e.id).toContain(e.reason);
  });

  it('every general entry of REASON_ENTRIES exists and has its reason', () => {
    for (const [reason, id] of Object.entries(REASON_ENTRIES)) expect(kb.byId.get(id!)?.reason, id).toBe(reason);
  });

  it("every reason's codes in REASON_CODES lead to an entry of that reason, or to none", () => {
    for (const [reason, codes] of Object.entries(REASON_CODES)) {
      const found = codes!.some((status) => {
        const m = decide(kb, { status, text: '' }, reasonFromWords).match;
        return m && sameReason(m.entry.reason, reason as (typeof REASONS)[number]);
      });
      // Some reasons keep their entry under 5.7.1 as a variant that needs its words: the table is still useful for them.
      if (!found)
        expect(
          kb.entries.some((e) => sameReason(e.reason, reason as (typeof REASONS)[number])),
          reason,
        ).toBe(true);
    }
  });

  it('every phrase row names a reason of the vocabulary', () => {
    for (const p of REASON_PHRASES) expect(REASONS).toContain(p.reason);
  });

  it.each([
    ['Connected but sender was rejected', 'rejected'],
    ['550-5.7.1 Messages with multiple 550 5.7.1 addresses in From: header are not accepted', 'notcompliantrfc'],
    [
      '550-Please turn on SMTP Authentication in your mail client. 550-host is not permitted to 550 relay through this server without authentication.',
      'securityerror',
    ],
    ['procmail: Couldn\'t create "/var/spool/mail/neko"', 'mailererror'],
    ['Refused due to recipient preferences', 'filtered'],
    ['554 5.7.9 Header error', 'policyviolation'],
    ['554 Message rejected: Email address is not verified.', 'norelaying'],
    ['Routing: Could not find a gateway for bob@fabrikam.example', 'expired'],
    ['554 5.7.9 Rejected', null],
    ['Remote protocol error: 550 Insecure Mail Relay', 'norelaying'],
    ['451 4.3.0 Mail system configuration error', 'systemerror'],
    ['just some words', null],
  ])('reads %j as %s', (text, reason) => {
    expect(reasonFromWords(text)?.reason ?? null).toBe(reason);
  });

  it('a bare code is decided without reading words (so explaining one never loads the phrase table); a text is not', () => {
    const asked: string[] = [];
    const reader = (text: string) => {
      asked.push(text);
      return reasonFromWords(text);
    };
    const codes = [...new Set(kb.entries.flatMap((e) => e.codes.filter((r) => r.from === r.to).map((r) => r.text)))];
    expect(codes.length).toBeGreaterThan(50);
    for (const code of codes) {
      expect(explainCode(kb, code).findings[0]?.status).toBe(code);
      expect(explainCode(kb, `550 ${code}`).findings.length).toBeGreaterThan(0);
      decide(kb, { status: code, text: code }, reader);
      decide(kb, { status: code, replyCode: '550', text: `550 ${code}` }, reader);
    }
    expect(asked).toEqual([]);
    decide(kb, { status: '5.7.1', text: '5.7.1 mailbox full' }, reader);
    expect(asked).toEqual(['5.7.1 mailbox full']);
    // Bare or not, explainText and explainCode agree on a code.
    for (const code of codes) expect(explainText(kb, code)).toEqual(explainCode(kb, code));
    expect(() => explainCode(kb, '550 mailbox full')).toThrow(/not a bare code/);
  });

  it("a code with no entry and no words still gets the code's reason; nothing at all is undefined", () => {
    expect(decide(kb, { status: '5.7.28', text: '' }, reasonFromWords).reason).toBe('spamdetected');
    expect(decide(kb, { status: '5.9.99', text: '' }, reasonFromWords).reason).toBe('undefined');
    expect(decide(kb, { status: null, replyCode: '503', text: '503 Improper sequence' }, reasonFromWords).reason).toBe('syntaxerror');
    expect(decide(kb, { status: null, text: 'words that name nothing' }, reasonFromWords).reason).toBe('onhold');
  });
});

describe("an entry's reason gives way to words that name a narrower cause (the entry stays)", () => {
  describe('must change reason', () => {
    ok('550 5.1.1 procmail: Couldn\'t create "/var/spool/mail/neko" No such user', 'user-unknown mailererror');
    ok('Name service error for domain example.com: Host not found, try again', 'remote-host-not-found networkerror');
    ok(
      "DNS type 'mx' lookup of example.org responded with code NOERROR The domain example.org doesn't receive email according to the administrator",
      'remote-host-not-found notaccept',
    );
    ok('450 4.1.2 Host or domain name not found', 'recipient-domain-not-found networkerror');
    ok('550 #5.1.0 Address rejected.', 'sender-denied userunknown');
  });
  describe('must not change reason', () => {
    ok('550 5.1.2 Host unknown', 'recipient-domain-not-found hostunknown');
    ok('550 5.1.1 User unknown', 'user-unknown userunknown');
    ok('550 5.1.1 <bob@fabrikam.example>: Recipient address rejected: User unknown in local recipient table', 'user-unknown userunknown');
    ok('550 5.1.0 <bounce@mailer.example.com> sender rejected.', 'sender-denied rejected');
  });
});

describe("a provider's own error code gives the reason (the entry stays)", () => {
  describe('must change reason', () => {
    ok('550 5.1.0 <bounce@mailer.example.com> sender rejected. AUP#CDRBL', 'sender-denied blocked');
    ok('550 5.1.0 <bounce@mailer.example.com> sender rejected. AUP#IPBL0001', 'sender-denied blocked');
    ok('421 Service refused, please try later. OFR_999 [999]', '- blocked');
    ok('550 5.5.0 Invalid recipient. LPN000_630', 'user-unknown-other-codes policyviolation');
  });
  describe('must not change reason', () => {
    // Cox's code for the sender's domain is the reason the words give anyway; unknown codes say nothing.
    ok('550 5.1.0 <bounce@mailer.example.com> sender rejected. AUP#CXSNDR', 'sender-denied rejected');
    ok('550 5.1.0 <bounce@mailer.example.com> sender rejected. AUP#ZZZZ', 'sender-denied rejected');
    ok('421 Service refused, please try later.', '- speeding');
    ok('550 5.5.0 Invalid recipient. LPN007_123', 'user-unknown-other-codes userunknown');
  });
});

describe('`ndr codes CODE` and `ndr explain CODE` agree', () => {
  it.each(['5.4.4', '4.7.1', '4.4.4', '5.7.1', '5.2.0', '4.7.0'])('%s', (code) => {
    const listed = kb.entries.filter((e) => entryMatchesQuery(e, code));
    const explained = explainText(kb, code).findings[0]?.match?.entry ?? null;
    if (explained) expect(listed).toContain(explained);
    // Every listed entry that explain does not give for the bare code is marked as needing its words, or is a range.
    for (const e of listed) {
      if (e === explained) continue;
      const exact = e.codes.some((r) => r.from === r.to && r.text === code);
      if (exact) expect(needsWords(kb, e), e.id).toBe(true);
    }
  });

  it('5.4.4 gives the entry the listing shows', () => {
    expect(picks('5.4.4')).toBe('nonexistent-recipient-domain hostunknown');
  });
});
