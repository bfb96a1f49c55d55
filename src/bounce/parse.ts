/**
 * parseBounce: the bytes of one message in, the Bounce facts out. Pure: no
 * files, no printing. Sources, in order of trust (reference/ndr-codes.md §3):
 * the RFC 3464 / RFC 6533 delivery-status part, Exchange's human-readable
 * NDR, then the plain-text wording of other mail systems.
 */
import { InputError, NotAMessageError } from '../core/errors.js';
import { normalizeLineEndings, SNIFF_BYTES, sniffContent } from './bytes.js';
import { addressValue, parseDeliveryStatus, parseFieldGroups, type DeliveryStatus } from './dsn.js';
import { parseExchangeText, type ExchangeNdr } from './exchange.js';
import { collectHints } from './hints.js';
import { clipDiagnostic, LIMITS } from './limits.js';
import { firstHeader, parseHeaderBlock, parseMime, type MimePart, type MimeView } from './mime.js';
import { summarizeOriginal } from './original.js';
import { AUTO_REPLY_SUBJECTS, BOUNCE_PHRASES, BOUNCE_SUBJECTS, DAEMON_NAMES, DAEMON_SENDERS, DELAY_PHRASES } from './phrases.js';
import { failedCommand } from './smtp-command.js';
import { parseSesNotification, type SesNotification } from './ses.js';
import { chooseStatus, factsFromText, readTextBounce, splitReturnedMessage } from './text.js';
import { recogniseVendor } from './vendor.js';
import { ADDRESS_G, cleanAddress, findCodes, isRoutableAddress, sameAddress, type AddressForms } from './text-util.js';
import type { Bounce, BounceRecipient, FeedbackReport, MessageKind, OriginalMessage, Truncation } from './types.js';
import { makeRecipient } from './types.js';

export { LIMITS } from './limits.js';

const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_FULL = new Set(['message/rfc822', 'message/global']);
const RETURNED_HEADERS = new Set(['text/rfc822-headers', 'message/global-headers']);

/** Refuses input that is not a message, with the reason in the error. `latin1Head`: as sniffContent's. */
function checkBytes(bytes: Uint8Array, latin1Head?: string): void {
  switch (sniffContent(bytes, latin1Head)) {
    case 'empty':
      throw new InputError('empty input');
    case 'binary':
      throw new NotAMessageError('binary data, not an e-mail message');
    case 'outlook-msg':
      throw new NotAMessageError(
        'an Outlook .msg file (binary); save the message as .eml (File > Save As, or drag it out of Outlook) and try again',
      );
    case 'text':
      throw new NotAMessageError('not an e-mail message (it does not start with header fields)');
    default:
  }
}

/** An mbox "From " line before the headers is not part of the message. */
function stripFromLine(buf: Buffer): Buffer {
  if (buf.subarray(0, 5).toString('latin1') !== 'From ') return buf;
  const nl = buf.indexOf(0x0a);
  return nl < 0 ? buf : buf.subarray(nl + 1);
}

function feedbackFrom(part: MimePart | undefined): FeedbackReport | null {
  if (!part) return null;
  const groups = parseFieldGroups(part.content.toString('utf8'));
  const get = (k: string) => groups.flatMap((g) => g.get(k) ?? []);
  return {
    feedbackType: get('feedback-type')[0]?.toLowerCase() ?? null,
    userAgent: get('user-agent')[0] ?? null,
    sourceIp: get('source-ip')[0] ?? null,
    originalMailFrom: addressValue(get('original-mail-from')[0] ?? null),
    originalRcptTo: get('original-rcpt-to')
      .map((v) => addressValue(v))
      .filter((a): a is string => !!a)
      .slice(0, LIMITS.maxRecipients),
    reportedDomain: get('reported-domain')[0] ?? null,
  };
}

async function readOriginal(parts: MimePart[], quoted: string | null): Promise<OriginalMessage | null> {
  const full = parts.find((p) => RETURNED_FULL.has(p.contentType));
  const headers = parts.find((p) => RETURNED_HEADERS.has(p.contentType));
  const source = full ?? headers;
  try {
    if (source) {
      const view = await parseHeaderBlock(source.content);
      if (view.headers.size) return summarizeOriginal(view, !full);
    }
    if (quoted) {
      const bytes = Buffer.from(quoted.replace(/^\s+/, ''), 'utf8');
      if (sniffContent(bytes) === 'message') {
        const view = await parseHeaderBlock(bytes);
        const blank = quoted.search(/\n[ \t\r]*\n/);
        const hasBody = blank >= 0 && /\S/.test(quoted.slice(blank));
        return summarizeOriginal(view, !hasBody);
      }
    }
  } catch (e) {
    // A broken returned message does not spoil the report itself.
    if (!(e instanceof InputError)) throw e;
  }
  return null;
}

function isAutoReply(view: MimeView): boolean {
  const auto = firstHeader(view, 'auto-submitted')?.toLowerCase() ?? '';
  const subject = view.subject ?? '';
  return (
    auto.startsWith('auto-replied') ||
    view.headers.has('x-autoreply') ||
    view.headers.has('x-autorespond') ||
    /^auto[_-]?reply$/i.test(firstHeader(view, 'precedence') ?? '') ||
    AUTO_REPLY_SUBJECTS.some((re) => re.test(subject))
  );
}

/**
 * Apple Mail's unsubscribe request (X-Apple-Unsubscribe): feedback from the
 * recipient who sends it, whatever auto-reply marks it carries.
 */
function isUnsubscribeRequest(view: MimeView): boolean {
  return /^true$/i.test(firstHeader(view, 'x-apple-unsubscribe')?.trim() ?? '');
}

function looksLikeBounce(view: MimeView, section: string): boolean {
  const from = view.from ?? '';
  const fromName = firstHeader(view, 'from') ?? '';
  const subject = view.subject ?? '';
  return (
    view.headers.has('x-failed-recipients') ||
    DAEMON_SENDERS.test(from) ||
    DAEMON_NAMES.test(fromName) ||
    BOUNCE_SUBJECTS.some((re) => re.test(subject)) ||
    BOUNCE_PHRASES.some((re) => re.test(section.slice(0, 20000)))
  );
}

/** The DSN recipient's facts, filled and sharpened from what the text says about the same address. */
function mergeRecipient(dsn: BounceRecipient, other: BounceRecipient | undefined): BounceRecipient {
  const merged = { ...dsn };
  // A Final-Recipient that is no deliverable address ("@mx.example.org", "@relay:user@host"):
  // the Original-Recipient, or the address the text names, says more.
  if (!isRoutableAddress(merged.recipient)) {
    if (isRoutableAddress(merged.originalRecipient)) merged.recipient = merged.originalRecipient;
    else if (other && isRoutableAddress(other.recipient)) merged.recipient = other.recipient;
  }
  const otherDiag = other?.diagnostic ?? null;
  // The Status field is sharpened only by the server replies the report records: the
  // Diagnostic-Code and the replies Exchange lists for administrators; the human-readable
  // text only when the report has no Diagnostic-Code at all.
  const sharpen = other && (other.source === 'exchange' || !dsn.diagnostic) ? (otherDiag ?? '') : '';
  const hits = findCodes(`${dsn.diagnostic ?? ''}\n${sharpen}`);
  const lead = findCodes(dsn.diagnostic ?? '')[0];
  const said = lead?.paired && /^\s*[(#]?[245]\d\d[ -]['#]?$/.test((dsn.diagnostic ?? '').slice(0, lead.index)) ? lead : null;
  // RFC 3463 §3.1: class 2 means success, so it is never a failed or delayed recipient's status.
  const failing = dsn.action === 'failed' || dsn.action === 'delayed';
  const successField = failing && dsn.status?.[0] === '2';
  if (successField) merged.status = null;
  const chosen = chooseStatus(successField ? null : dsn.status, hits, said);
  if (chosen?.status) {
    merged.status = chosen.status;
    merged.replyCode = chosen.replyCode ?? dsn.replyCode ?? other?.replyCode ?? null;
  } else if (other) {
    merged.status = other.status;
    merged.statusInferred = other.statusInferred;
    merged.replyCode ??= other.replyCode;
  }
  if (!merged.diagnostic) merged.diagnostic = otherDiag;
  else if (
    otherDiag &&
    merged.status &&
    !findCodes(merged.diagnostic).some((h) => h.status === merged.status) &&
    findCodes(otherDiag).some((h) => h.status === merged.status)
  ) {
    const parts = [merged.diagnostic, ...otherDiag.split(' | ')];
    merged.diagnostic = clipDiagnostic([...new Set(parts)].join(' | '));
  }
  merged.remoteMta ??= other?.remoteMta ?? null;
  return merged;
}

/** The note that more recipients were found than LIMITS.maxRecipients. */
function recipientsCut(found: number): Truncation {
  return { what: 'recipients', limit: LIMITS.maxRecipients, found, leftOut: found - LIMITS.maxRecipients };
}

function mergeReports(reports: DeliveryStatus[]): DeliveryStatus {
  return {
    reportingMta: reports.find((r) => r.reportingMta)?.reportingMta ?? null,
    receivedFromMta: reports.find((r) => r.receivedFromMta)?.receivedFromMta ?? null,
    arrivalDate: reports.find((r) => r.arrivalDate)?.arrivalDate ?? null,
    recipients: reports.flatMap((r) => r.recipients).slice(0, LIMITS.maxRecipients),
    recipientsFound: reports.reduce((n, r) => n + r.recipientsFound, 0),
  };
}

function find(list: BounceRecipient[], address: string | null): BounceRecipient | undefined {
  return address ? list.find((r) => sameAddress(r.recipient, address)) : undefined;
}

function classify(opts: {
  view: MimeView;
  section: string;
  dsn: DeliveryStatus | null;
  exchange: ExchangeNdr | null;
  ses: SesNotification | null;
  feedback: boolean;
  recipients: BounceRecipient[];
  delayWords: boolean;
}): MessageKind {
  const { view, dsn, exchange, ses, recipients } = opts;
  if (opts.feedback || ses?.kind === 'complaint') return 'feedback-report';
  if (ses?.kind === 'delivery') return 'not-a-bounce';
  const actions = recipients.map((r) => r.action).filter((a): a is string => !!a);
  const reportLike =
    !!dsn?.recipients.length ||
    !!exchange ||
    !!ses ||
    view.reportType === 'delivery-status' ||
    view.reportType === 'global-delivery-status';
  const bounceLike = reportLike || looksLikeBounce(view, opts.section);
  // Exim and others mark their bounces "Auto-Submitted: auto-replied" too (RFC 3834 §5).
  if (!bounceLike && isAutoReply(view)) return 'auto-reply';
  if (!bounceLike) return 'not-a-bounce';
  if (actions.length && actions.every((a) => a === 'delivered' || a === 'relayed' || a === 'expanded')) return 'not-a-bounce';
  if (actions.length && actions.every((a) => a === 'delayed' || a === 'delivered' || a === 'relayed' || a === 'expanded')) return 'delay';
  if (exchange?.delay || ses?.transient) return 'delay';
  if (!actions.length && opts.delayWords && recipients.length && recipients.every((r) => !r.status || r.status.startsWith('4')))
    return 'delay';
  return 'ndr';
}

export interface ParseOptions {
  /** Used by tests; the CLI keeps the default. */
  maxMimeDepth?: number;
  /** How many wrapping messages were opened to get here (internal). */
  nesting?: number;
  /** The caller has run sniffContent on these very bytes and got 'message': the check is not run again. */
  sniffedAsMessage?: boolean;
  /** The address patterns' form (text-util AddressForms): 'full' for a batch; default 'fit'. */
  addressForms?: AddressForms;
}

/** Reads one message. Throws InputError / NotAMessageError for input that is not a message. */
export async function parseBounce(input: Uint8Array, opts: ParseOptions = {}): Promise<Bounce> {
  const bytes = stripFromLine(normalizeLineEndings(input));
  // Input that is all sniffed head and needed no change is decoded (latin1) once, for the sniff and the MIME reader.
  const same = bytes.buffer === input.buffer && bytes.byteOffset === input.byteOffset && bytes.byteLength === input.byteLength;
  const latin1 = same && bytes.byteLength <= SNIFF_BYTES ? bytes.toString('latin1') : undefined;
  if (!opts.sniffedAsMessage) checkBytes(input, latin1);
  const view = await parseMime(bytes, { maxDepth: opts.maxMimeDepth, latin1 });
  const text = view.text;
  const forms = opts.addressForms ?? 'fit';

  const reportParts = view.parts.filter((p) => REPORT_TYPES.has(p.contentType));
  const feedbackPart = view.parts.find((p) => p.contentType === 'message/feedback-report');
  let dsn = reportParts.length ? mergeReports(reportParts.map((p) => parseDeliveryStatus(p.content.toString('utf8')))) : null;

  const exchange = parseExchangeText(text, forms);
  const split = splitReturnedMessage(text);
  const section = split.section;
  const subject = view.subject ?? '';
  const delayWords = DELAY_PHRASES.some((re) => re.test(subject) || re.test(section.slice(0, 4000)));
  const textRead = readTextBounce(section, { from: view.from ? [view.from] : [], to: view.to, delay: delayWords, addressForms: forms });
  const textRecipients = textRead.recipients;
  const exRecipients = exchange?.recipients ?? [];
  if (!dsn?.recipients.length) {
    // Some mail systems put the DSN fields into the text part; some quote a whole report there.
    const usable = (d: DeliveryStatus) => d.recipients.some((r) => r.recipient && (r.status || r.action));
    const inline = parseDeliveryStatus(section);
    if (usable(inline)) dsn = inline;
    else if (!textRecipients.length && !exRecipients.length) {
      const quoted = parseDeliveryStatus(text);
      if (usable(quoted)) dsn = quoted;
    }
  }
  const ses = parseSesNotification(text);

  // Trust order: delivery-status fields, then Exchange's text, then other text.
  let recipients: BounceRecipient[];
  const truncated: Truncation[] = [];
  // How many recipients the source the recipients come from names, also those past the cap.
  let found = 0;
  if (ses && ses.kind !== 'complaint') {
    recipients = ses.recipients;
    found = ses.recipientsFound;
  } else if (dsn?.recipients.length) {
    recipients = dsn.recipients.map((r) =>
      mergeRecipient(
        r,
        find(exRecipients, r.recipient) ??
          find(textRecipients, r.recipient) ??
          (dsn!.recipients.length === 1 ? (exRecipients[0] ?? textRecipients[0]) : undefined),
      ),
    );
  } else if (exRecipients.length) {
    found = exchange!.recipientsFound;
    recipients = exRecipients.map((r) => {
      const t = find(textRecipients, r.recipient);
      const facts = factsFromText(r.diagnostic ?? '', { delay: delayWords });
      return { ...r, ...facts, remoteMta: r.remoteMta ?? facts.remoteMta ?? t?.remoteMta ?? null, diagnostic: r.diagnostic };
    });
  } else {
    recipients = textRecipients;
    found = textRead.found;
  }

  const original = await readOriginal(
    view.parts,
    exchange?.originalHeadersAt != null ? text.slice(exchange.originalHeadersAt) : split.returned,
  );
  const feedback = feedbackPart ? feedbackFrom(feedbackPart) : (ses?.feedback ?? null);

  let messageKind = classify({
    view,
    section,
    dsn,
    exchange,
    ses,
    feedback: !!feedbackPart || view.reportType === 'feedback-report' || isUnsubscribeRequest(view),
    recipients,
    delayWords,
  });

  // A gateway that wraps a whole bounce into a message of its own, with no failure of its own.
  const inner = view.parts.find((p) => RETURNED_FULL.has(p.contentType));
  if (!recipients.length && (messageKind === 'ndr' || messageKind === 'delay') && original?.isBounce && inner && (opts.nesting ?? 0) < 2) {
    try {
      const wrapped = await parseBounce(inner.content, { ...opts, sniffedAsMessage: false, nesting: (opts.nesting ?? 0) + 1 });
      if (wrapped.recipients.length) return wrapped;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  }

  if (messageKind === 'feedback-report') {
    const unsubscribe = !feedbackPart && isUnsubscribeRequest(view);
    const rcpts = feedback?.originalRcptTo.length ? feedback.originalRcptTo : unsubscribe && view.from ? [view.from] : (original?.to ?? []);
    found = ses?.kind === 'complaint' ? ses.recipientsFound : 0;
    // A report that names no recipient is still one complaint: its finding has no address.
    recipients =
      ses?.kind === 'complaint'
        ? ses.recipients
        : (rcpts.length ? rcpts : [null]).map((a) =>
            makeRecipient('text', {
              recipient: a,
              source: 'feedback-report',
              diagnostic: feedback?.feedbackType
                ? `feedback type: ${feedback.feedbackType}`
                : unsubscribe
                  ? 'feedback type: opt-out (unsubscribe request)'
                  : null,
            }),
          );
  } else if (messageKind === 'auto-reply') {
    recipients = [makeRecipient('text', { recipient: view.from, source: 'auto-reply', diagnostic: view.subject })];
  } else if (messageKind === 'not-a-bounce' && !ses) {
    recipients = [];
  } else if (!recipients.length) {
    // A bounce whose text names no address: X-Failed-Recipients (Exim), else the one To of the returned message.
    const failed = (view.headers.get('x-failed-recipients') ?? []).flatMap((v) =>
      [...v.matchAll(ADDRESS_G.for(v, forms))].map((m) => cleanAddress(m[0])),
    );
    const guess = failed.length ? failed : original && original.to.length === 1 ? original.to : [];
    const facts = factsFromText(section, { delay: messageKind === 'delay' });
    const base = guess.length ? guess : facts.status || facts.replyCode ? [null] : [];
    const source = failed.length ? 'header' : guess.length ? 'returned-message' : 'text';
    recipients = base.slice(0, LIMITS.maxRecipients).map((a) => makeRecipient('text', { recipient: a, source, ...facts }));
    if (base.length > LIMITS.maxRecipients) truncated.push(recipientsCut(base.length));
  }
  if (messageKind === 'ndr' && recipients.length && recipients.every((r) => r.action === 'delayed')) messageKind = 'delay';
  let vendor: Bounce['vendor'] = null;
  if (messageKind === 'ndr' || messageKind === 'delay') {
    recipients = recipients.map((r) => (r.command ? r : { ...r, command: failedCommand(section, r.recipient, r.diagnostic) }));
    const id = recogniseVendor(view.headers);
    if (id) vendor = { id, text: section };
  }
  if (dsn && recipients.length && dsn.recipientsFound > LIMITS.maxRecipients && !truncated.length)
    truncated.push(recipientsCut(dsn.recipientsFound));
  if (found > LIMITS.maxRecipients && recipients.length >= LIMITS.maxRecipients && !truncated.length) truncated.push(recipientsCut(found));

  const bounce: Bounce = {
    messageKind,
    vendor,
    layout: exchange ? exchange.layout : recipients.some((r) => r.source === 'text') ? 'text' : null,
    language: exchange?.language ?? null,
    generatingServer: exchange?.generatingServer ?? dsn?.reportingMta ?? ses?.reportingMta ?? null,
    reportingMta: dsn?.reportingMta ?? null,
    arrivalDate: dsn?.arrivalDate ?? null,
    subject: view.subject,
    from: view.from,
    to: view.to,
    date: view.date,
    recipients,
    original,
    feedback,
    exchange: exchange?.details ?? null,
    hints: [],
    truncated,
  };
  bounce.hints = collectHints(bounce, section);
  return bounce;
}
