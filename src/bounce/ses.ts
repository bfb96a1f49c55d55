/**
 * Amazon SES event notifications delivered by e-mail (SNS): a JSON document
 * in the body with notificationType Bounce, Complaint or Delivery
 * (docs.aws.amazon.com/ses/latest/dg/notification-contents.html).
 */
import { diagnosticValue, replyCodeOf, statusValue } from './dsn.js';
import { LIMITS } from './limits.js';
import { findCodes } from './text-util.js';
import type { BounceRecipient, FeedbackReport } from './types.js';
import { makeRecipient } from './types.js';

export interface SesNotification {
  kind: 'bounce' | 'complaint' | 'delivery';
  transient: boolean;
  reportingMta: string | null;
  recipients: BounceRecipient[];
  /** Recipients the notification lists, also those past LIMITS.maxRecipients. */
  recipientsFound: number;
  feedback: FeedbackReport | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, LIMITS.maxRecipients) : []);
const countOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** The JSON document in the text, if the text is an SES notification; null otherwise. */
export function parseSesNotification(text: string): SesNotification | null {
  if (!/"notificationType"\s*:/.test(text.slice(0, 4096))) return null;
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start || end - start > LIMITS.maxReportChars) return null;
  let doc: unknown;
  try {
    // mailparser may have soft-wrapped long lines of the JSON.
    doc = JSON.parse(text.slice(start, end + 1).replace(/!?\n ?/g, ''));
  } catch {
    return null;
  }
  if (!isObject(doc)) return null;
  const type = str(doc.notificationType)?.toLowerCase();
  if (type === 'bounce' && isObject(doc.bounce)) {
    const b = doc.bounce;
    const transient = str(b.bounceType) === 'Transient';
    return {
      kind: 'bounce',
      transient,
      reportingMta: str(b.reportingMTA)?.replace(/^dsn;\s*/i, '') ?? null,
      recipients: list(b.bouncedRecipients)
        .filter(isObject)
        .map((r) => {
          const diagnostic = diagnosticValue(str(r.diagnosticCode));
          return makeRecipient('delivery-status', {
            recipient: str(r.emailAddress),
            action: str(r.action)?.toLowerCase() ?? (transient ? 'delayed' : 'failed'),
            status: statusValue(str(r.status)),
            replyCode: replyCodeOf(diagnostic),
            diagnostic,
          });
        }),
      recipientsFound: countOf(b.bouncedRecipients),
      feedback: null,
    };
  }
  if (type === 'complaint' && isObject(doc.complaint)) {
    const c = doc.complaint;
    const rcpts = list(c.complainedRecipients)
      .filter(isObject)
      .map((r) => str(r.emailAddress))
      .filter((a): a is string => !!a);
    const mail = isObject(doc.mail) ? doc.mail : {};
    return {
      kind: 'complaint',
      transient: false,
      reportingMta: null,
      recipients: rcpts.map((a) => makeRecipient('delivery-status', { recipient: a, source: 'feedback-report' })),
      recipientsFound: countOf(c.complainedRecipients),
      feedback: {
        feedbackType: str(c.complaintFeedbackType) ?? 'abuse',
        userAgent: str(c.userAgent),
        sourceIp: null,
        originalMailFrom: str(mail.source),
        originalRcptTo: rcpts,
        reportedDomain: null,
      },
    };
  }
  if (type === 'delivery' && isObject(doc.delivery)) {
    const d = doc.delivery;
    const smtp = str(d.smtpResponse);
    const hit = smtp ? findCodes(smtp)[0] : undefined;
    return {
      kind: 'delivery',
      transient: false,
      reportingMta: str(d.reportingMTA),
      recipients: list(d.recipients)
        .map(str)
        .filter((a): a is string => !!a)
        .map((a) =>
          makeRecipient('delivery-status', {
            recipient: a,
            action: 'delivered',
            status: hit?.status ?? null,
            replyCode: replyCodeOf(smtp),
            diagnostic: smtp,
          }),
        ),
      recipientsFound: countOf(d.recipients),
      feedback: null,
    };
  }
  return null;
}
