/**
 * Vendors' own words for their failures: for a mail system whose bounces ndr
 * recognises (src/bounce/vendor.ts), the texts it writes and the reason each
 * stands for. A vendor's table is more specific than the general words
 * (reason-words.ts) and than the SMTP stage rule: these systems say what
 * happened in their own terms, and the same words mean the same thing in
 * every bounce they write. The facts follow sisimai's per-MTA parsers
 * (reference/bounce-reasons.md); the tables are ours.
 *
 * Plain data: no I/O, loaded only when a message is parsed.
 */
import type { VendorId } from '../core/vendors.js';
import type { Reason } from './reasons.js';

export type { VendorId };

/** One vendor's words -> reason, tried in order; `otherwise` is its reason when none matches (null: the general rules decide). */
export interface VendorTable {
  readonly rules: readonly (readonly [Reason, RegExp])[];
  readonly otherwise?: Reason;
  /** The table gives way to a specific status code in the reply (x.1.1 ... x.7.9): the code's own reason decides then. */
  readonly codeFirst?: boolean;
  /** The table is of the system's own words: it does not apply to a reply at a known SMTP stage. */
  readonly ownWordsOnly?: boolean;
}

export const VENDOR_REASONS: Readonly<Record<VendorId, VendorTable>> = {
  // HCL/IBM (Lotus) Domino: the directory lookup says whether the name exists.
  domino: {
    rules: [
      [
        'userunknown',
        /not listed in (?:Domino Directory|public Name & Address Book)|non répertorié dans l'annuaire Domino|Domino ディレクトリには見つかりません/i,
      ],
      ['filtered', /Cannot route mail to user/i],
      ['systemerror', /Several matches found in Domino Directory/i],
    ],
  },
  // Exchange 2000/2003's MSEXCH diagnostic carries an internal error number in brackets.
  exchange2003: {
    rules: [
      ['userunknown', /\(000C05A6\)/i],
      ['filtered', /\(000C0595\)/i],
      ['systemerror', /\((?:00010256|000D06B5)\)/i],
      ['networkerror', /\(00120270\)/i],
      ['contenterror', /\((?:00050311|000502CC)\)/i],
      ['securityerror', /\(000B0981\)/i],
      ['onhold', /\((?:000B099C|000B09AA|000B09B6)\)/i],
    ],
  },
  // Ipswitch IMail Server.
  imail: {
    rules: [
      ['hostunknown', /Unknown host/i],
      ['userunknown', /(?:^|\s)(?:Unknown user|Invalid final delivery userid)/i],
      ['mailboxfull', /User mailbox exceeds allowed size/i],
      ['virusdetected', /Requested action not taken: virus detected/i],
      ['expired', /Delivery failed \d+ attempts/i],
    ],
  },
  // Google's own "Delivery Status Notification" (Gmail, Google Workspace) in its headline-and-sentence layout.
  'gmail-dsn': {
    rules: [
      ['userunknown', /because the address couldn't be found\. Check for typos or unnecessary spaces/i],
      ['notaccept', /\bNull MX\b/],
    ],
  },
  // Gmail's older DSN: "Technical details of permanent failure ... (state N)." names the SMTP state it failed in.
  gmail: {
    codeFirst: true,
    rules: [
      ['systemerror', /\(state (?:6|8|9)\)\./],
      ['norelaying', /\(state 12\)\./],
      ['blocked', /\(state 13\)\./],
      ['userunknown', /\(state 14\)\./],
      ['filtered', /\(state (?:15|17|18)\)\./],
      [
        'expired',
        /DNS Error: Could not contact DNS servers|Delivery to the following recipient has been delayed|The recipient server did not accept our requests to connect/i,
      ],
      ['hostunknown', /DNS Error: (?:Domain name not found|DNS server returned answer with no data)/i],
    ],
  },
  // au (KDDI) EZweb mobile mail.
  ezweb: {
    rules: [
      ['mailboxfull', /The user\(s\) account is temporarily over quota/i],
      ['suspend', /The user\(s\) account is (?:disabled|temporarily limited)\./i],
      ['expired', /Your message was not delivered within /i],
      // The remote server refused the recipients after taking the message: the recipient's side filtered it.
      ['filtered', /Each of the following recipients was rejected by a remote mail server/i],
    ],
  },
  // Verizon Wireless's text and picture message gateways (vtext.com, vzwpix.com).
  verizon: {
    rules: [['userunknown', /550 - Requested action not taken: no such user here|No valid recipients for this MM/i]],
  },
  // fml, the Japanese mailing-list manager: its own notices to a poster.
  fml: {
    rules: [
      [
        'rejected',
        /(?:Ignored )*NOT MEMBER article from |reject (?:mail from \S+@|since .+ header may cause mail loop|spammers:)|You are not a member of this mailing list|Spam mail from a spammer is rejected|You .+ are not member/i,
      ],
      [
        'systemerror',
        /Duplicated Message-ID|fml .+ has detected a loop condition so that|Loop Back Warning:|fml system error message|Loop Alert: |WARNING: UNIX FROM Loop/i,
      ],
      ['securityerror', /Security Alert/i],
    ],
  },
  // McAfee's e-mail gateway.
  mcafee: {
    rules: [['userunknown', / User \(.+@.+\) unknown\. |550 Unknown user \S+@\S+|550 <.+?@.+?>\.+ User not exist|No such user/i]],
  },
  // Trend Micro InterScan Messaging Security.
  interscan: {
    rules: [['userunknown', /Unable to deliver/i]],
  },
  // qmail (and qmail-ldap): qmail-remote's and qmail-send's own sentences.
  qmail: {
    rules: [
      ['suspend', /Mailaddress is administrative?le?y disabled/i],
      ['userunknown', /Sorry, no mailbox here by that name/i],
      ['exceedlimit', /The message exeeded the maximum size the user accepts/i],
      ['mailboxfull', /disk quota exceeded/i],
      ['mesgtoobig', /Message size exceeds fixed maximum message size:/i],
      ['hostunknown', /Sorry, I couldn't find any host /i],
      ['systemfull', /Requested action not taken: mailbox unavailable \(not enough free space\)/i],
      [
        'networkerror',
        /Sorry, I wasn't able to establish an SMTP connection|Sorry, I couldn't find a mail exchanger or IP address|Sorry\. Although I'm listed as a best-preference MX or A for that host/i,
      ],
    ],
  },
  // Exim's own words for what it could not route or deliver itself (not a remote server's reply).
  exim: {
    ownWordsOnly: true,
    rules: [
      ['userunknown', /user not found/],
      [
        'hostunknown',
        /all host address lookups failed permanently|all relevant MX records point to non-existent hosts|Unrouteable address/,
      ],
      ['mailboxfull', /mailbox is full|error: quota exceed/],
      ['notaccept', /an MX or SRV record indicated no SMTP service|no host found for existing SMTP connection/],
      ['syntaxerror', /angle-brackets nested too deep|expected word or "<"|domain missing in source-routed address|malformed address:/],
      ['systemerror', /delivery to (?:file|pipe) forbidden|local delivery failed|LMTP error after /],
      ['contenterror', /Too many "Received" headers/],
    ],
  },
  // Lotus Notes' "Undeliverable message" reports.
  notes: {
    rules: [
      ['userunknown', /User not listed in public Name & Address Book|ディレクトリのリストにありません/],
      ['networkerror', /Message has exceeded maximum hop count/],
    ],
  },
  // Courier's own words about the recipient's domain.
  courier: {
    rules: [
      ['hostunknown', /No such domain\./],
      ['systemerror', /This domain's DNS violates RFC 1035\./],
      ['networkerror', /DNS lookup failed\./],
    ],
  },
  // Symantec (Broadcom) MessageLabs' own failure reports.
  messagelabs: {
    rules: [
      ['userunknown', /542 .+ Rejected|No such user/i],
      ['securityerror', /Please turn on SMTP Authentication in your mail client/i],
    ],
  },
};

/**
 * Receiving systems known by their host name (the remote MTA that refused):
 * their own replies -> reason, then what their bare code at a given SMTP
 * stage means for them.
 */
export interface HostTable {
  readonly host: RegExp;
  readonly rules: readonly (readonly [Reason, RegExp])[];
  /** Reasons by the finding's status code. */
  readonly byStatus?: Readonly<Record<string, Reason>>;
  /** Reasons of a generic 5.0.0 by the SMTP command it answered. */
  readonly byCommand?: Readonly<Record<string, Reason>>;
  /** Replies that count only with their own SMTP reply code: [reason, code, words]. */
  readonly replies?: readonly (readonly [Reason, string, RegExp])[];
}

/** Mimecast's documented rejection replies, each with the reply code it comes with. */
const MIMECAST_REPLIES: readonly (readonly [Reason, string, RegExp])[] = [
  ['blocked', '421', /sender address blocked/i],
  ['blocked', '451', /recipient temporarily unavailable|ip temporarily blacklisted|internal resources are temporarily unavailable/i],
  ['blocked', '550', /local ct ip reputation - \(reject\)|(?:spf|dkim|dmarc) sender invalid - envelope rejected/i],
  ['mesgtoobig', '554', /maximum email size exceeded/i],
  ['networkerror', '554', /mail loop detected/i],
  ['norelaying', '451', /open relay not allowed/i],
  ['notaccept', '451', /account inbounds disabled/i],
  ['onhold', '451', /account outbounds disabled|hostname is not authorized/i],
  ['onhold', '550', /journal message past expiration/i],
  [
    'policyviolation',
    '550',
    /anti-spoofing policy - inbound not allowed|rejected by header-based anti-spoofing policy|message bounced due to content examination policy/i,
  ],
  ['policyviolation', '554', /host network not allowed/i],
  [
    'rejected',
    '550',
    /administrative prohibition envelope blocked|envelope blocked [–-] user (?:domain )?entry|rejected by header-based (?:manually )?blocked senders|envelope rejected - block policy for envelope from address/i,
  ],
  ['securityerror', '535', /incorrect authentication data/i],
  ['securityerror', '550', /submitter failed to disabled/i],
  ['securityerror', '553', /this route requires (?:encryption \(tls\)|tls version 1\.2 or greater|high-strength ciphers)/i],
  ['securityerror', '554', /configuration is invalid for this certificate/i],
  ['systemerror', '451', /unable to process (?:connection at this time|command|an email at this time)|message ended early/i],
  ['toomanyconn', '451', /account service is temporarily unavailable/i],
  ['toomanyconn', '452', /too many recipients/i],
  ['toomanyconn', '550', /exceeding outbound thread limit/i],
  ['userunknown', '501', /invalid address/i],
  ['userunknown', '503', /user unknown/i],
  ['userunknown', '550', /invalid recipient/i],
  // A signature of a virus, or a spam score over the limit: Mimecast does not tell which.
  ['virusdetected', '554', /email rejected due to security policies/i],
];

export const HOST_REASONS: readonly HostTable[] = [
  // NTT DOCOMO's mobile mail (mfsmax.docomo.ne.jp) refuses at DATA the senders a recipient's filter does not allow,
  // in the words of a missing user: the sender is what it refused.
  {
    host: /mfsmax\.docomo\.ne\.jp\.?$/i,
    rules: [
      ['mailboxfull', /552 too much mail data/i],
      ['toomanyconn', /552 too many recipients/i],
      ['syntaxerror', /503 bad sequence of commands|504 command parameter not implemented/i],
    ],
    byStatus: { '5.1.1': 'userunknown', '5.2.0': 'filtered' },
    byCommand: { RCPT: 'userunknown', DATA: 'rejected' },
  },
  // Mimecast's gateways (*.mimecast.com) word each refusal the same way everywhere.
  { host: /\.mimecast\.com\.?$/i, rules: [], replies: MIMECAST_REPLIES },
];

/** The receiving host's reason for a refusal, or null when the host is not one of HOST_REASONS or its table does not say. */
export function hostTableReason(
  host: string,
  status: string | null,
  command: string | null,
  text: string,
  replyCode: string | null = null,
): Reason | null {
  const table = HOST_REASONS.find((t) => t.host.test(host));
  if (!table) return null;
  for (const [reason, code, re] of table.replies ?? []) if (code === replyCode && re.test(text)) return reason;
  const byStatus = status ? table.byStatus?.[status] : undefined;
  if (byStatus) return byStatus;
  for (const [reason, re] of table.rules) if (re.test(text)) return reason;
  return status === '5.0.0' && command ? (table.byCommand?.[command] ?? null) : null;
}

/** The vendor's reason for these words, or null when its table does not say. */
export function vendorTableReason(vendor: VendorId, text: string, status: string | null = null): Reason | null {
  const table = VENDOR_REASONS[vendor];
  if (table.codeFirst && status && /^[45]\.[1-7]\.[1-9]$/.test(status)) return null;
  for (const [reason, re] of table.rules) if (re.test(text)) return reason;
  return table.otherwise ?? null;
}
