/**
 * Bounce reasons: sisimai's vocabulary (../shared/reference/bounce-reasons.md),
 * the names many mail tools already use for the cause of a bounce. Every
 * knowledge-base entry declares one, and every finding carries one.
 * ndr uses the v5.1 names; `REASON_ALIASES` maps the newer (v5.6) and the
 * older names onto them.
 */
export const REASONS = [
  'userunknown',
  'mailboxfull',
  'suspend',
  'hasmoved',
  'hostunknown',
  'notaccept',
  'norelaying',
  'blocked',
  'requireptr',
  'badreputation',
  'spamdetected',
  'virusdetected',
  'contenterror',
  'policyviolation',
  'securityerror',
  'authfailure',
  'rejected',
  'filtered',
  'mesgtoobig',
  'exceedlimit',
  'toomanyconn',
  'speeding',
  'expired',
  'networkerror',
  'failedstarttls',
  'systemerror',
  'systemfull',
  'mailererror',
  'syntaxerror',
  'notcompliantrfc',
  'onhold',
  'undefined',
  'delivered',
  'vacation',
  'feedback',
] as const;

export type Reason = (typeof REASONS)[number];

const KNOWN = new Set<string>(REASONS);

/** Other versions' names for the same reasons (sisimai v5.6 merged some; v4 used others). */
export const REASON_ALIASES: Readonly<Record<string, Reason>> = {
  emailtoolarge: 'mesgtoobig',
  ratelimited: 'toomanyconn',
  nospam: 'spamdetected',
  relayingdenied: 'norelaying',
};

/** The reason a name stands for (any case, aliases too), or null. */
export function toReason(name: string): Reason | null {
  const n = name.toLowerCase();
  if (KNOWN.has(n)) return n as Reason;
  return REASON_ALIASES[n] ?? null;
}

/** Reasons that say the same thing in different sisimai versions compare equal. */
const SAME: Partial<Record<Reason, Reason>> = { exceedlimit: 'mesgtoobig', speeding: 'toomanyconn' };

export function sameReason(a: Reason, b: Reason): boolean {
  return (SAME[a] ?? a) === (SAME[b] ?? b);
}

/**
 * Reasons that do not say what went wrong: a finding whose entry carries one
 * takes its reason from the words when they tell (sisimai's "retry set"
 * treats these as provisional, too).
 */
export const WEAK_REASONS: ReadonlySet<Reason> = new Set(['onhold', 'undefined', 'securityerror', 'systemerror']);

/** Each reason in plain words, for text output. */
export const REASON_WORDS: Readonly<Record<Reason, string>> = {
  userunknown: 'the recipient address does not exist',
  mailboxfull: "the recipient's mailbox is full",
  suspend: "the recipient's account is disabled or suspended",
  hasmoved: 'the recipient has moved to another address',
  hostunknown: "the recipient's domain does not exist",
  notaccept: 'the domain accepts no mail',
  norelaying: 'the server refused to relay the message',
  blocked: 'the sending server (IP address or host) was blocked',
  requireptr: 'the sending IP address has no reverse DNS (PTR)',
  badreputation: 'the sending IP address or domain has a poor reputation',
  spamdetected: 'the message was judged to be spam',
  virusdetected: 'a virus or unsafe attachment was found',
  contenterror: "the message's format or content was refused",
  policyviolation: 'a policy of the receiving organisation refused it',
  securityerror: 'a security or authentication requirement was not met',
  authfailure: 'SPF, DKIM or DMARC failed',
  rejected: 'the sender address or its domain was refused',
  filtered: "the recipient's side refuses mail from this sender",
  mesgtoobig: 'the message is too large',
  exceedlimit: 'the message is over a size limit',
  toomanyconn: 'too many recipients, connections or messages',
  speeding: 'sending too fast: a rate limit',
  expired: 'delivery was retried until it timed out',
  networkerror: 'a network, DNS or routing problem',
  failedstarttls: 'a required TLS connection failed',
  systemerror: 'an error in the receiving mail system',
  systemfull: 'the receiving mail system is out of space',
  mailererror: 'a local delivery program failed',
  syntaxerror: 'the sending program broke the SMTP conversation',
  notcompliantrfc: 'the message breaks the e-mail format standard',
  onhold: 'not decided: the words name no known cause',
  undefined: 'unknown: nothing in the message tells',
  delivered: 'delivered: not a failure',
  vacation: 'an automatic reply, not a failure',
  feedback: 'a spam complaint (feedback report), not a bounce',
};
