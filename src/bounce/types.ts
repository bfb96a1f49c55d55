/**
 * The Bounce model: the facts ndr reads out of one message, before any
 * knowledge-base matching. Plain data (JSON-safe), produced by parseBounce().
 */
import type { VendorId } from '../core/vendors.js';

/** What kind of message it is (RFC 3464 DSN, RFC 3834 auto-reply, RFC 5965 ARF …). */
export type MessageKind = 'ndr' | 'delay' | 'auto-reply' | 'feedback-report' | 'not-a-bounce';

/**
 * Where a recipient's facts were read from, most trusted first. 'header' is
 * X-Failed-Recipients; 'returned-message' means the report names no address
 * and the recipient is the only To of the returned message.
 */
export type RecipientSource = 'delivery-status' | 'exchange' | 'text' | 'header' | 'returned-message' | 'feedback-report' | 'auto-reply';

/** The layout of the human-readable part, when ndr recognised one. */
export type BounceLayout = 'exchange-new' | 'exchange-legacy' | 'text' | null;

/** The stage of the SMTP session a failure happened at: CONN is the greeting. */
export type SmtpCommand = 'CONN' | 'HELO' | 'EHLO' | 'MAIL' | 'RCPT' | 'DATA';

export interface BounceRecipient {
  /** The failed address (Final-Recipient, or the address the text names). */
  recipient: string | null;
  /** RFC 3464 Original-Recipient (ORCPT), when given. */
  originalRecipient: string | null;
  /** RFC 3464 Action, lower-case: failed, delayed, delivered, relayed, expanded. */
  action: string | null;
  /** Enhanced status code (RFC 3463), or null when the message has none. */
  status: string | null;
  /** True when no code stands in the message and `status` was inferred from its wording. */
  statusInferred: boolean;
  /** SMTP reply code (RFC 5321), when the message has one. */
  replyCode: string | null;
  /** The SMTP command the failure came in reply to, when the report says (smtp-command.ts). */
  command: SmtpCommand | null;
  /** The MTA that reported the problem (RFC 3464 Remote-MTA, or the host named in the text). */
  remoteMta: string | null;
  /** The diagnostic text: Diagnostic-Code or the words of the human-readable part. */
  diagnostic: string | null;
  lastAttemptDate: string | null;
  willRetryUntil: string | null;
  /** PowerMTA's X-PowerMTA-BounceCategory (bad-mailbox, quota-issues ...), lower-case, when the report gives one. */
  category?: string | null;
  source: RecipientSource;
}

/** One Received header of the returned message, oldest first. */
export interface Hop {
  from: string | null;
  by: string | null;
  with: string | null;
  /** ISO 8601, or null when the header's date does not parse. */
  date: string | null;
  /** Seconds since the previous hop, or null for the first hop or an unknown date. */
  delaySeconds: number | null;
}

export type AuthVerdict = string | null;

export interface Authentication {
  spf: AuthVerdict;
  dkim: AuthVerdict;
  dmarc: AuthVerdict;
  /** The raw header values they were read from (Received-SPF, Authentication-Results). */
  receivedSpf: string[];
  authenticationResults: string[];
}

/** The returned original message (message/rfc822 or text/rfc822-headers). */
export interface OriginalMessage {
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  date: string | null;
  messageId: string | null;
  returnPath: string | null;
  hops: Hop[];
  authentication: Authentication;
  /** True when only the headers came back (text/rfc822-headers, or a cut copy). */
  headersOnly: boolean;
  /** True when the returned message is itself a delivery report (a bounce of a bounce). */
  isBounce: boolean;
}

export type HintId =
  'imceaex-address' | 'forwarded-recipient' | 'backscatter' | 'exchange-wrapped-reply' | 'bounce-of-bounce' | 'control-characters';

export interface BounceHint {
  id: HintId;
  message: string;
  /** Facts the hint rests on (an address, a decoded X500 proxy …). */
  detail: string | null;
}

/** ARF (RFC 5965) facts of a feedback report. */
export interface FeedbackReport {
  feedbackType: string | null;
  userAgent: string | null;
  sourceIp: string | null;
  originalMailFrom: string | null;
  originalRcptTo: string[];
  reportedDomain: string | null;
}

/** Who must act, as the newer Exchange NDR's fix-it owner picture marks it. */
export type FixOwner = 'sender' | 'service' | 'recipient';

/** One row of the newer Exchange NDR's "Message Hops" table. */
export interface ExchangeHop {
  hop: number;
  time: string | null;
  from: string | null;
  to: string | null;
  with: string | null;
  relayTime: string | null;
}

/** The sections of an Exchange NDR beyond the per-recipient facts. */
export interface ExchangeDetails {
  cause: string | null;
  fixOwner: FixOwner | null;
  howToFix: string | null;
  adminInfo: string | null;
  /** "Status code: 550 5.1.10" of "More Info for Email Admins". */
  statusCode: string | null;
  hops: ExchangeHop[];
}

export interface Bounce {
  messageKind: MessageKind;
  layout: BounceLayout;
  /** The language of the Exchange NDR text ('en', 'nb', 'da', 'sv', 'de'), when recognised. */
  language: string | null;
  /** The server that built the NDR (Exchange "Generating server", else Reporting-MTA). */
  generatingServer: string | null;
  reportingMta: string | null;
  arrivalDate: string | null;
  /** The bounce's own headers. */
  subject: string | null;
  from: string | null;
  to: string[];
  date: string | null;
  recipients: BounceRecipient[];
  original: OriginalMessage | null;
  feedback: FeedbackReport | null;
  /** The Exchange NDR's own sections (cause, fix-it owner, hops …), when it is one. */
  exchange: ExchangeDetails | null;
  hints: BounceHint[];
  /** What a limit cut off (LIMITS in limits.ts), said in the output rather than dropped silently. */
  truncated: Truncation[];
  /**
   * The mail system that wrote the report, when its signature is recognised
   * (vendor.ts; non-delivery and delay reports only), with the report's text
   * its table reads: its reasons are applied when the bounce is explained.
   */
  vendor: { id: VendorId; text: string } | null;
}

/** A limit that cut something: `found` were there, the first `limit` are kept, `leftOut` are not. */
export interface Truncation {
  what: 'recipients';
  limit: number;
  found: number;
  leftOut: number;
}

/** A recipient record with every field empty but those given. */
export function makeRecipient(source: RecipientSource, partial: Partial<BounceRecipient>): BounceRecipient {
  return {
    recipient: null,
    originalRecipient: null,
    action: null,
    status: null,
    statusInferred: false,
    replyCode: null,
    command: null,
    remoteMta: null,
    diagnostic: null,
    lastAttemptDate: null,
    willRetryUntil: null,
    source,
    ...partial,
  };
}
