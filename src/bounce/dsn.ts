/**
 * RFC 3464 §2 (and RFC 6533 §3) delivery-status fields: header-style
 * "Name: value" lines with folding, one per-message group and one group per
 * recipient, separated by blank lines. Read from the raw text of the part,
 * and tolerant of the malformed reports real MTAs send (no blank lines
 * between recipients, fields inline in a text part).
 */
import { clipDiagnostic, LIMITS } from './limits.js';
import type { BounceRecipient } from './types.js';

export type FieldGroup = Map<string, string[]>;

export interface DeliveryStatus {
  reportingMta: string | null;
  receivedFromMta: string | null;
  arrivalDate: string | null;
  recipients: BounceRecipient[];
  /** Recipient records in the report, also those past LIMITS.maxRecipients. */
  recipientsFound: number;
}

const FIELD = /^([A-Za-z][A-Za-z0-9-]{0,60})[ \t]*:[ \t]*([^\n]*)$/;
/** Fields that open a new recipient record when the current one already has them. */
const RECIPIENT_KEYS = new Set(['final-recipient', 'original-recipient']);

/** Splits into field groups: blank lines (and lines that are not fields) end a group. */
export function parseFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let group: FieldGroup = new Map();
  let last: { key: string; index: number } | null = null;
  const close = () => {
    // An empty group is kept for the next fields (most lines of a text part are no fields).
    if (group.size) {
      groups.push(group);
      group = new Map();
    }
    last = null;
  };
  // A bare CR is not a line end here (CR-only files were converted before MIME parsing): it
  // stays in the value, where the renderer shows it as \x0d and the hints see it.
  const report = text.slice(0, LIMITS.maxReportChars);
  const lines = report.includes('\r') ? report.split(/\r?\n/) : report.split('\n');
  for (const line of lines) {
    if (/^[ \t]+\S/.test(line) && last) {
      const values = group.get(last.key)!;
      values[last.index] = `${values[last.index]} ${line.trim()}`;
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) {
      close();
      continue;
    }
    const key = m[1]!.toLowerCase();
    // A recipient field that repeats inside one group starts the next recipient.
    if (RECIPIENT_KEYS.has(key) && group.has(key)) close();
    const values = group.get(key) ?? [];
    values.push(m[2]!.trim());
    group.set(key, values);
    last = { key, index: values.length - 1 };
  }
  close();
  return groups;
}

function field(g: FieldGroup, key: string): string | null {
  const v = g.get(key)?.[0];
  return v === undefined || v === '' ? null : v;
}

/** "rfc822; user@example.com" -> "user@example.com"; RFC 6533 utf-8 \x{HEX} escapes decoded. */
export function addressValue(value: string | null): string | null {
  if (!value) return null;
  let v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  v = v
    .trim()
    .replace(/^<+|>+$/g, '')
    .trim();
  // A quoted local part ("a..b"@example.com, RFC 5321 §4.1.2) keeps its quotes; a quoted value does not.
  if (/^"[^"]*"$/.test(v) && !/^"[^"]*"@/.test(v)) v = v.slice(1, -1).trim();
  v = v.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)));
  // No xtext decoding: "+20" is part of IMCEAEX addresses and must stay.
  const angle = /<([^<>\s@]{1,256}@[^<>\s]{1,256})>/.exec(v);
  if (angle) v = angle[1]!;
  const first = v.split(/\s+/)[0] ?? '';
  return first || null;
}

const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d])/;

/** The enhanced status code at the start of a Status field ("5.1.1 (bad mailbox)" -> "5.1.1"). */
export function statusValue(value: string | null): string | null {
  if (!value) return null;
  const m = STATUS.exec(value);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** "dns; mx.example.net" -> "mx.example.net". */
export function mtaValue(value: string | null): string | null {
  if (!value) return null;
  const v = (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value).trim();
  return v ? v.split(/\s+/)[0]!.replace(/^\[|\]$/g, '') || null : null;
}

/** "smtp; 550 5.1.1 <x>... User unknown" -> "550 5.1.1 <x>... User unknown". */
export function diagnosticValue(value: string | null): string | null {
  if (!value) return null;
  const v = /^[A-Za-z][\w-]{0,20}\s*;/.test(value) ? value.slice(value.indexOf(';') + 1) : value;
  // Fold white space but keep a bare CR visible: it can hide text on a terminal.
  const folded = v.replace(/[ \t\n]+/g, ' ').trim();
  return folded ? clipDiagnostic(folded) : null;
}

const REPLY = /^(?:#|\()?([245]\d\d)(?=[\s\-#)]|$)/;

export function replyCodeOf(diagnostic: string | null): string | null {
  if (!diagnostic) return null;
  const m = REPLY.exec(diagnostic.trim());
  return m ? m[1]! : null;
}

function isRecipientGroup(g: FieldGroup): boolean {
  return g.has('final-recipient') || g.has('original-recipient') || (g.has('status') && g.has('action'));
}

/** Reads delivery-status text into the per-message fields and one record per recipient. */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const groups = parseFieldGroups(text);
  let reportingMta: string | null = null;
  let receivedFromMta: string | null = null;
  let arrivalDate: string | null = null;
  const recipients: BounceRecipient[] = [];
  let recipientsFound = 0;
  for (const g of groups) {
    reportingMta ??= mtaValue(field(g, 'reporting-mta'));
    receivedFromMta ??= mtaValue(field(g, 'received-from-mta'));
    arrivalDate ??= field(g, 'arrival-date');
    if (!isRecipientGroup(g)) continue;
    if (++recipientsFound > LIMITS.maxRecipients) continue;
    const diagnostic = diagnosticValue(field(g, 'diagnostic-code'));
    recipients.push({
      recipient:
        addressValue(field(g, 'final-recipient')) ??
        addressValue(field(g, 'x-actual-recipient')) ??
        addressValue(field(g, 'original-recipient')),
      originalRecipient: addressValue(field(g, 'original-recipient')),
      action: field(g, 'action')?.split(/[\s(]/)[0]!.toLowerCase() ?? null,
      status: statusValue(field(g, 'status')),
      statusInferred: false,
      command: null,
      replyCode: replyCodeOf(diagnostic),
      remoteMta: mtaValue(field(g, 'remote-mta')),
      diagnostic,
      lastAttemptDate: field(g, 'last-attempt-date'),
      willRetryUntil: field(g, 'will-retry-until'),
      category: field(g, 'x-powermta-bouncecategory')?.trim().toLowerCase() ?? null,
      source: 'delivery-status',
    });
  }
  // Past the part of the report that is read (LIMITS.maxReportChars), recipients are only counted.
  if (text.length > LIMITS.maxReportChars)
    recipientsFound += text.slice(LIMITS.maxReportChars).match(/^final-recipient[ \t]*:/gim)?.length ?? 0;
  return { reportingMta, receivedFromMta, arrivalDate, recipients, recipientsFound };
}
