/**
 * The returned original message: who sent it to whom, its path (Received
 * chain, RFC 5321 §4.4) and what the receiving side thought of its
 * authentication (Received-SPF, RFC 7208 §9.1; Authentication-Results, RFC 8601).
 */
import { LIMITS } from './limits.js';
import type { MimeView } from './mime.js';
import { BOUNCE_SUBJECTS, DAEMON_SENDERS } from './phrases.js';
import type { Authentication, Hop, OriginalMessage } from './types.js';
import { isoTime } from './iso-time.js';

const FROM = /\bfrom\s+(\S+)/i;
const BY = /\bby\s+(\S+)/i;
const WITH = /\bwith\s+(Microsoft SMTP Server(?: \(TLS\))?|\S+)/i;

/** A clause's token without trailing ";" or "," and without an opening "(" and a closing ")". */
function clean(token: string | undefined): string | null {
  if (!token) return null;
  let end = token.length;
  while (end > 0 && (token.charCodeAt(end - 1) === 0x3b || token.charCodeAt(end - 1) === 0x2c)) end--;
  const start = end > 0 && token.charCodeAt(0) === 0x28 ? 1 : 0;
  if (end > start && token.charCodeAt(end - 1) === 0x29) end--;
  return end > start ? token.slice(start, end) : null;
}

/** The time after the header's last ";" (at `semicolon`), in ms; null when there is none or it is no date. */
function receivedTime(value: string, semicolon: number): number | null {
  if (semicolon < 0) return null;
  const raw = value
    .slice(semicolon + 1)
    .trim()
    .replace(/\([^()]{0,200}\)$/, '')
    .trim();
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

/** Received headers, newest first in the message, become hops oldest first with the delay between them. */
export function parseHops(received: string[]): Hop[] {
  const hops: Hop[] = [];
  const list = received.slice(0, LIMITS.maxHops).reverse();
  let previous: number | null = null;
  for (const value of list) {
    const body = value.replace(/\s+/g, ' ');
    // Comments ("(qmail 123 invoked from network)", "(Postfix)") are not the from/by/with clauses.
    const semicolon = body.lastIndexOf(';');
    const beforeDate = (semicolon >= 0 ? body.slice(0, semicolon) : body).replace(/\([^()]{0,500}\)/g, ' ');
    const t = receivedTime(body, semicolon);
    const date = t === null ? null : isoTime(t);
    hops.push({
      from: clean(FROM.exec(beforeDate)?.[1]),
      by: clean(BY.exec(beforeDate)?.[1]),
      with: clean(WITH.exec(beforeDate)?.[1]),
      date,
      delaySeconds: t !== null && previous !== null ? Math.round((t - previous) / 1000) : null,
    });
    if (t !== null) previous = t;
  }
  return hops;
}

const RESULT = (method: string) => new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'i');
/** Each method's pattern, made once. */
const RESULTS: Readonly<Record<'spf' | 'dkim' | 'dmarc', RegExp>> = { spf: RESULT('spf'), dkim: RESULT('dkim'), dmarc: RESULT('dmarc') };

export function parseAuthentication(receivedSpf: string[], authResults: string[]): Authentication {
  const first = (method: 'spf' | 'dkim' | 'dmarc') => {
    for (const v of authResults) {
      const m = RESULTS[method].exec(v);
      if (m) return m[1]!.toLowerCase();
    }
    return null;
  };
  const spfHeader = receivedSpf[0] ? (/^\s*([a-z]+)/i.exec(receivedSpf[0])?.[1]?.toLowerCase() ?? null) : null;
  return {
    spf: first('spf') ?? spfHeader,
    dkim: first('dkim'),
    dmarc: first('dmarc'),
    receivedSpf: receivedSpf.slice(0, 10).map((v) => v.slice(0, 1000)),
    authenticationResults: authResults.slice(0, 10).map((v) => v.slice(0, 2000)),
  };
}

function addressOf(value: string | null): string | null {
  if (!value) return null;
  const m = /<([^<>\s]*)>/.exec(value);
  const v = (m ? m[1]! : value).trim();
  return v || null;
}

/** The summary of a returned message's headers. */
export function summarizeOriginal(view: MimeView, headersOnly: boolean): OriginalMessage {
  const h = (name: string) => view.headers.get(name) ?? [];
  const subject = view.subject;
  const from = view.from;
  // A subject alone is weak evidence (phishing says "could not be delivered" too); with an
  // empty Return-Path (RFC 3464 §2: DSNs are sent with a null sender) it is not.
  const nullSender = /^[\s<>]*$/.test(h('return-path')[0] ?? 'x');
  const isBounce =
    (view.contentType === 'multipart/report' && view.reportType !== 'feedback-report') ||
    (from !== null && DAEMON_SENDERS.test(from)) ||
    (nullSender && subject !== null && BOUNCE_SUBJECTS.some((re) => re.test(subject)));
  return {
    from,
    to: view.to,
    cc: view.cc,
    subject,
    date: view.date,
    messageId: view.messageId,
    returnPath: addressOf(h('return-path')[0] ?? null),
    hops: parseHops(h('received')),
    authentication: parseAuthentication(h('received-spf'), h('authentication-results')),
    headersOnly,
    isBounce,
  };
}
