/**
 * What codes alone say about a bounce's cause, as a sisimai reason: providers'
 * own error codes, sisimai's default status -> reason table, reply codes; and
 * the codes and entries under which the knowledge base keeps each reason's
 * main entry (used to find an entry for words that came without a code).
 * The words' table is reason-words.ts. Pure data.
 */
import type { Reason } from './reasons.js';

/**
 * Providers that end their replies with an error code of their own, whose
 * meanings they publish: the code tells the cause better than any words or
 * status code of the reply (sisimai reads these first, too).
 * - Cox: "AUP#CXBL", "AUP#CDRBL", "AUP#IPBL0001" ... (cox.com email error codes);
 * - Orange and La Poste: "OFR_999", "OFR004_104", "LPN007_416", "LPNAAA_101"
 *   ... the last three digits are the cause.
 */
/** A table of reasons and their codes, read by code. */
function byCode(rows: readonly (readonly [Reason, readonly string[]])[]): ReadonlyMap<string, Reason> {
  const map = new Map<string, Reason>();
  for (const [reason, codes] of rows) for (const code of codes) map.set(code, reason);
  return map;
}

const COX_CODES: readonly [RegExp, Reason][] = [
  [/^(?:CXBL|CDRBL|CXDNS|IPBL\d{4,5})$/, 'blocked'],
  [/^(?:CXSNDR|CXSMTP)$/, 'rejected'],
  [/^(?:CXCNCT|CXMXRT)$/, 'toomanyconn'],
  [/^(?:CXTHRT|CXMJ)$/, 'securityerror'],
  [/^URLBL\d{3,4}$/, 'spamdetected'],
];
const ORANGE_CODES = byCode([
  ['blocked', ['101', '102', '103', '401', '510', '999']],
  ['toomanyconn', ['104']],
  ['securityerror', ['305', '402']],
  ['rejected', ['403', '405', '415', '421']],
  ['userunknown', ['416', '418']],
  ['mailboxfull', ['417']],
  ['suspend', ['420', '426']],
  ['systemerror', ['505']],
  ['spamdetected', ['506']],
  ['mesgtoobig', ['514']],
  ['policyviolation', ['517', '630']],
]);
const COX_TOKEN = /\bAUP#([A-Z]{2,6}\d{0,5})\b/;
const ORANGE_TOKEN = /\b(?:LPN|LPNAAA|OFR|OUK)(?:\d{3})?[-_](\d{3})\b/i;

/** The reason a provider's own error code in the text stands for, or null. Pure. */
export function reasonFromProviderCode(text: string): Reason | null {
  const cox = COX_TOKEN.exec(text);
  if (cox) for (const [re, reason] of COX_CODES) if (re.test(cox[1]!)) return reason;
  const orange = ORANGE_TOKEN.exec(text);
  return orange ? (ORANGE_CODES.get(orange[1]!) ?? null) : null;
}

/**
 * sisimai's default status -> reason table (reference §2, v5.1.0p3). The
 * generic codes (x.0.0, 4.3.0, 4.4.0, 4.5.0, 4.7.0, 5.5.0, 5.5.1) are left
 * out on purpose: for them only the words tell.
 */
const STATUS_REASONS = byCode([
  ['authfailure', ['4.7.24', '4.7.26', '5.7.20', '5.7.21', '5.7.22', '5.7.23', '5.7.24', '5.7.26', '5.7.29']],
  ['blocked', ['4.7.1', '4.7.2']],
  ['contenterror', ['4.6.0', '4.6.2', '4.6.5', '5.6.0', '5.6.1', '5.6.2', '5.6.3', '5.6.5', '5.6.6', '5.6.7', '5.6.8', '5.6.9']],
  ['exceedlimit', ['4.2.3', '5.2.3']],
  ['expired', ['4.4.1', '4.4.7']],
  ['filtered', ['4.2.4', '5.1.4', '5.2.0', '5.2.1', '5.2.4']],
  ['hasmoved', ['4.1.6', '5.1.6', '5.7.17', '5.7.18']],
  ['hostunknown', ['5.1.2', '5.4.4']],
  ['mailboxfull', ['4.2.2', '5.2.2']],
  ['mesgtoobig', ['5.3.4', '4.7.16', '5.7.16']],
  ['networkerror', ['4.4.2', '4.4.4', '4.4.6', '4.4.8', '5.4.0']],
  ['notaccept', ['4.3.2', '5.3.2', '5.1.10', '5.7.27']],
  ['rejected', ['4.1.7', '4.1.8', '5.1.7', '5.1.8']],
  ['requireptr', ['4.7.25', '5.7.25']],
  ['spamdetected', ['5.7.28']],
  ['suspend', ['5.7.13']],
  ['syntaxerror', ['5.5.2', '5.5.6']],
  ['systemerror', ['4.1.9', '4.3.3', '4.3.5', '4.4.3', '4.5.3', '4.5.5', '5.1.9', '5.3.0', '5.3.3', '5.3.5', '5.4.3', '5.5.4', '5.5.5']],
  ['systemfull', ['4.3.1', '4.4.5', '5.3.1']],
  ['toomanyconn', ['5.5.3']],
  ['userunknown', ['5.1.0', '5.1.1', '5.1.3']],
]);

/** A reply that says the client broke the conversation (RFC 5321 §4.2.3: 500-507, 401-407 in sisimai). */
const SYNTAX_REPLY = /^[45]0[1-7]$/;

/** The reason a reply code alone gives, or null. */
export function reasonFromReply(replyCode: string | null): Reason | null {
  return replyCode && SYNTAX_REPLY.test(replyCode) ? 'syntaxerror' : null;
}

/** The reason a status code alone gives (sisimai's table, then x.6.x and x.7.x), or null. */
export function reasonFromStatus(status: string | null): Reason | null {
  if (!status) return null;
  if (status.startsWith('2.')) return 'delivered';
  const known = STATUS_REASONS.get(status);
  if (known) return known;
  const [cls, subject, detail] = status.split('.');
  if (detail === '0' && (subject === '0' || cls === '4')) return null;
  if (subject === '6') return 'contenterror';
  if (subject === '7') return 'securityerror';
  return null;
}

/**
 * Where the knowledge base keeps each reason's main entry: words that name a
 * reason and come with no code (or with a code whose entry is about another
 * cause) are matched as if they came with one of these codes. An entry is
 * taken only when its own reason is the words' reason.
 */
export const REASON_CODES: Readonly<Partial<Record<Reason, readonly string[]>>> = {
  userunknown: ['5.1.1'],
  mailboxfull: ['5.2.2'],
  suspend: ['5.2.1'],
  hasmoved: ['5.1.6'],
  hostunknown: ['5.1.2', '5.4.4'],
  notaccept: ['5.1.10'],
  norelaying: ['5.7.1', '5.4.1'],
  blocked: ['5.7.1'],
  requireptr: ['5.7.25'],
  authfailure: ['5.7.26', '5.7.23', '5.7.1'],
  filtered: ['5.7.1'],
  policyviolation: ['5.7.1'],
  spamdetected: ['5.7.1'],
  mesgtoobig: ['5.3.4', '5.2.3'],
  exceedlimit: ['5.2.3', '5.3.4'],
  toomanyconn: ['5.5.3', '4.5.3'],
  rejected: ['5.1.8', '5.1.7'],
  expired: ['4.4.7'],
  networkerror: ['5.4.6', '4.4.2'],
  systemfull: ['4.3.1'],
  syntaxerror: ['5.5.2'],
  contenterror: ['5.6.0'],
  failedstarttls: ['4.4.317'],
};

/**
 * The entry for words that name a reason when neither an entry's own pattern
 * nor the reason's codes find one: the general entry of that cause (a block
 * list named in words, whichever list it is).
 */
export const REASON_ENTRIES: Readonly<Partial<Record<Reason, string>>> = {
  blocked: 'third-party-blocklist',
  // Spam named in words the entry's own patterns do not hold, or only in an Exchange wrapper's words.
  spamdetected: 'content-filter-spam-rejection',
};
