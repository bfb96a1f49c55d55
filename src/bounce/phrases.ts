/**
 * Phrases that mark bounces, delay notices, auto-replies and the start of a
 * returned message in the plain-text bounces of many mail systems. Data, not
 * code: add a line here when a mail system words things differently.
 * All patterns are linear (no nested quantifiers) and run on bounded text.
 */
import { EXCHANGE_LANGUAGES } from './exchange-phrases.js';
import { phrasePattern } from './text-util.js';

/** Subjects of delivery failure reports (Postfix, Exim, Sendmail, qmail, Gmail, Exchange, Notes, and localised ones). */
export const BOUNCE_SUBJECTS: RegExp[] = [
  /\bundeliver(?:able|ed)\b/i,
  /\bdelivery (?:status notification|failure|failed|notification|problem|report)/i,
  /\b(?:mail|message) delivery (?:failed|failure|has failed|status)/i,
  /\bfailure notice\b|\bfailure delivery\b|\bfailed delivery\b|\bpermanent delivery failure\b/i,
  /\breturned (?:mail|to sender)\b/i,
  /\bmail (?:system error|failure|could not be delivered)\b/i,
  /\bnon[- ]?deliver(?:y|able)|\bnondeliverable\b/i,
  /\bcould not (?:be )?deliver/i,
  /\bdelivery (?:has )?(?:been )?delayed\b|\bdelayed mail\b|\bwarning: could not send\b/i,
  // Localised Exchange and others (de, nb, da, sv, fr, nl, ru, ja).
  /\bunzustellbar\b|\bübermittlung fehlgeschlagen\b|\bzustellung (?:fehlgeschlagen|verzögert)\b/i,
  /\bkan ikke leveres\b|\bkunne ikke leveres\b|\bikke levert\b|\bikke leveret\b|\bkan ikke afleveres\b/i,
  /\bej levererbart\b|\bkunde inte levereras\b|\bolevererbart\b|\bleverans försenad\b/i,
  /\bloop (?:alert|detected)\b|\bmail loop\b|\bnot (?:a )?member\b/i,
  /\bnon remis\b|\bonbestelbaar\b|\bне доставлено\b|配信できません|配送失敗/i,
];

/** Senders of bounces (RFC 3464 §2: DSNs come from the mail system, with an empty envelope sender). */
export const DAEMON_SENDERS =
  /^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|mailerdaemon|mail\.delivery\.system|mdaemon|post_master|bounce[s]?|nobody)(?:[@+]|$)/i;
export const DAEMON_NAMES = /\bmail(?:er)?[- ]?daemon\b|\bmail delivery (?:system|subsystem)\b|\bpostmaster\b|\bsystem administrator\b/i;

/** Sentences that only delivery failure reports say. */
export const BOUNCE_PHRASES: RegExp[] = [
  /\b(?:could|can)(?: ?not|n't) be delivered\b/i,
  /\bwas(?: ?not|n't) (?:able to be )?delivered\b/i,
  /\bundeliverable\b|\bundelivered\b/i,
  /\bdelivery (?:to the following recipients? )?(?:has )?failed\b|\bdelivery has failed\b/i,
  /\bfailed permanently\b|\bpermanent (?:fatal )?errors?\b|\bpermanent failure\b/i,
  /\b(?:wasn't|was not|were not|weren't) able to deliver\b|\bunable to deliver\b|\berror (?:delivering|sending) your (?:mail|message)\b/i,
  /\bfollowing (?:address(?:\(es\)|es)?|recipients?)(?: had| returned| failed| was| were|:)/i,
  /\bdid not reach the following recipient/i,
  /\bmail system at host\b|\bqmail-send program\b|\bmail delivery software\b/i,
  /\bhas been delayed\b|\bis delayed\b|\bnot yet been delivered\b|\bwill (?:be )?retr(?:y|ied)\b/i,
  /\breturned mail\b|\bmessage (?:was )?returned\b|\brejected your message\b/i,
  /\bDelivery Status Notification\b/i,
  /\bmail loop\b|\bloop detected\b|\bduplicated message-id\b/i,
  /\bnot a member of (?:this|the) (?:mailing )?list\b|\bnot allowed to post\b|\bpermission to post\b/i,
];

/** Words of a delay notice: the server keeps trying (RFC 3464 Action: delayed). */
export const DELAY_PHRASES: RegExp[] = [
  /\bdelivery (?:status notification \()?delay/i,
  /\b(?:has|have) been delayed\b|\bis delayed\b|\bdelivery (?:is |has been )?delayed\b/i,
  /\bwarning message only\b|\bdo not need to resend\b|\bno action is required on your part\b/i,
  /\bwill (?:continue to )?(?:be )?retr(?:y|ied|ying)\b|\bstill (?:trying|being retried)\b/i,
  /\bwarning: could not send message\b|\bnot yet been delivered\b/i,
  /\bzustellung verzögert\b|\bverzögert\b|\bforsinket\b|\bförsenad\b/i,
];

/** Final failure words: with these a 4.x.x code is not a delay (expired, given up). */
export const FINAL_FAILURE_PHRASES: RegExp[] = [
  /\bgiv(?:en|ing) up\b|\bexpired\b|\bpermanent(?:ly)?\b|\bfailed\b|\bhas stopped trying\b|\bcould not be delivered\b|\bundeliverable\b/i,
];

/** RFC 3834 auto-replies: subjects of out-of-office and other automatic answers. */
export const AUTO_REPLY_SUBJECTS: RegExp[] = [
  /^\s*(?:automatic reply|auto[- ]?reply|auto[- ]?response|autoreply|auto|out of (?:the )?office|away|vacation)\b\s*[:-]?/i,
  /\bout of (?:the )?office\b|\bon vacation\b|\baway (?:from|until)\b|\bautomatic reply\b|\bauto[- ]?reply\b/i,
  /^\s*(?:automatische antwort|abwesenheitsnotiz|automatisk svar|autosvar|fraværende|frånvarande|réponse automatique|absence|自動応答|自動返信)\b/i,
];

/** The line where a text bounce starts quoting the returned message. */
export const RETURNED_MESSAGE_MARKERS: RegExp[] = [
  /^-{2,}\s*(?:this is a copy of|below this line is a copy of|original message|the original message|undelivered message|returned message|message headers follow|headers of the original)/i,
  /^[\s-]*(?:original message (?:headers|follows|as follows)|original mail as follows|message headers follow|headers of your message follow|the text of your message (?:was|follows))\b/i,
  // Exchange's "Original message headers:" in every language of its table.
  new RegExp(
    `^\\s*(?:${EXCHANGE_LANGUAGES.flatMap((l) => l.originalHeaders)
      .map(phrasePattern)
      .join('|')})\\s*:?\\s*$`,
    'iu',
  ),
  /^\s*-+\s*(?:below this line|original message|forwarded message|message text)\b/i,
  /^\s*(?:your original message is included|a copy of the original message (?:is attached|follows|below))/i,
  /^\s*-{3,}\s*(?:this is a copy|copy of the message|begin returned)/i,
];

/** Header names that start a quoted message (not DSN fields, which bounces quote on purpose). */
export const QUOTED_HEADER_START =
  /^(?:Received|Return-Path|Message-I[Dd]|DKIM-Signature|X-Received|MIME-Version|Authentication-Results|Received-SPF|ARC-Seal|X-Google-DKIM-Signature|Delivered-To|X-Original-To)\s*:/i;
export const QUOTED_HEADER_ANY = /^[A-Za-z][A-Za-z0-9-]{1,40}:\s/;

/**
 * Wording that truly implies an RFC 3463 code when the message states none.
 * The class digit comes from the reply code or the message kind; a finding
 * that uses one of these says so (statusInferred).
 */
export const IMPLIED_CODES: { pattern: RegExp; subjectDetail: string }[] = [
  {
    pattern:
      /\b(?:user|recipient|mailbox|address) (?:unknown|not found|does not exist|doesn't exist)\b|\bunknown (?:user|recipient|local part|mailbox)\b|\bno such (?:user|mailbox|recipient|address)\b|\bnot listed in (?:the )?domino directory\b|\brecipient name is not recognized\b|\bno mailbox here by that name\b|\binvalid (?:recipient|mailbox)\b/i,
    subjectDetail: '1.1',
  },
  {
    pattern:
      /\bhost (?:unknown|not found)\b|\bdomain (?:not found|does not exist|unknown)\b|\bno mx (?:record|host)|\bname or service not known\b|\bhost or domain name not found\b|\bdns lookup failure\b/i,
    subjectDetail: '1.2',
  },
  {
    pattern:
      /\bmailbox (?:is )?full\b|\bover (?:the )?quota\b|\bquota exceeded\b|\bexceed(?:s|ed)? (?:the |his |her |its )?(?:storage|mailbox|disk) (?:quota|limit|size)\b|\binsufficient (?:disk )?space\b|\bmessages in recipient's mailbox exceeded\b/i,
    subjectDetail: '2.2',
  },
  { pattern: /\b(?:mailbox|account) (?:is )?(?:disabled|suspended|inactive|deactivated|locked)\b/i, subjectDetail: '2.1' },
  {
    pattern: /\bmessage (?:is )?too (?:big|large)\b|\bmessage size exceeds\b|\bexceeds (?:the )?maximum (?:message )?size\b/i,
    subjectDetail: '3.4',
  },
  { pattern: /\brelay(?:ing)? (?:access )?(?:denied|not permitted)\b|\bnot (?:permitted|allowed) to relay\b/i, subjectDetail: '7.1' },
  { pattern: /\bmail loop\b|\bloop detected\b|\btoo many hops\b|\bhop count exceeded\b/i, subjectDetail: '4.6' },
  {
    pattern:
      /\bconnection (?:timed out|refused)\b|\bsocket error\b|\bcould not connect\b|\bdid not accept our requests to connect\b|\bno route to host\b/i,
    subjectDetail: '4.1',
  },
  {
    pattern:
      /\b(?:message|delivery time) expired\b|\bretry time(?:out)? (?:was )?exceeded\b|\bhave been failing for a long time\b|\bcould not deliver for the last\b|\bcannot send message for \d+ days?\b/i,
    subjectDetail: '4.7',
  },
];
