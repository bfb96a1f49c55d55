/**
 * Which mail system wrote a bounce, from the marks it leaves on every bounce
 * it writes (its From, Subject, X-Mailer or its own headers, its Received
 * lines). Only signatures that the vendor's bounces carry in general count.
 * The vendor's reasons are its table in src/knowledge/vendor-reasons.ts,
 * applied by src/explain/vendor.ts. Pure: headers in, data out.
 */
import type { VendorId } from '../core/vendors.js';

/** The bounce's own headers, as the MIME view keeps them: lower-case name -> values in order. */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

function all(headers: HeaderMap, name: string): readonly string[] {
  return headers.get(name) ?? [];
}

function first(headers: HeaderMap, name: string): string {
  return (headers.get(name)?.[0] ?? '').trim();
}

type Signature = (h: HeaderMap) => boolean;

/** Each vendor's signature, as its bounces carry it. */
const SIGNATURES: readonly (readonly [VendorId, Signature])[] = [
  // Domino: "DELIVERY FAILURE: ..." (or DELIVERY_FAILURE:) as the subject.
  ['domino', (h) => /^DELIVERY[ _]FAILURE:/.test(first(h, 'subject'))],
  // Exchange 2000/2003: its embedded-report header, its Internet Mail Service as mailer or in Received.
  [
    'exchange2003',
    (h) =>
      h.has('x-ms-embedded-report') ||
      /^(?:Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector)/.test(first(h, 'x-mailer')) ||
      first(h, 'x-mimeole').startsWith('Produced By Microsoft Exchange') ||
      all(h, 'received').some((r) => r.includes(' with Internet Mail Service (')),
  ],
  // IMail Server: "Undeliverable Mail" as the whole subject, or its SMTP32 mailer.
  ['imail', (h) => /^Undeliverable Mail\s*$/.test(first(h, 'subject')) || first(h, 'x-mailer').startsWith('<SMTP32 v')],
  // Google's DSN: from mailer-daemon@googlemail.com, "Delivery Status Notification", with Google's X-Gm-Message-State.
  [
    'gmail-dsn',
    (h) =>
      /<mailer-daemon@googlemail\.com>/i.test(first(h, 'from')) &&
      first(h, 'subject').includes('Delivery Status Notification') &&
      h.has('x-gm-message-state'),
  ],
  // Gmail's older DSN: the same sender and subject, without Google Workspace's header.
  [
    'gmail',
    (h) => /<mailer-daemon@googlemail\.com>/i.test(first(h, 'from')) && first(h, 'subject').includes('Delivery Status Notification'),
  ],
  // EZweb: two of its marks (its postmaster, its subject, its Received lines, its Message-ID domain).
  [
    'ezweb',
    (h) => {
      const from = first(h, 'from');
      const id = first(h, 'message-id');
      const marks = [
        /Postmaster@(?:ezweb\.ne\.jp|au\.com)/i.test(from),
        first(h, 'subject') === 'Mail System Error - Returned Mail',
        all(h, 'received').some((r) => r.includes('ezweb.ne.jp (EZweb Mail) with')),
        all(h, 'received').some((r) => r.includes('.au.com (')),
        /\.(?:ezweb\.ne\.jp|au\.com)>$/.test(id),
      ];
      return marks.filter(Boolean).length >= 2;
    },
  ],
  // Verizon: relayed through vtext.com, from its post_master or a vzwpix.com sysadmin.
  [
    'verizon',
    (h) =>
      all(h, 'received').some((r) => r.includes('.vtext.com (')) &&
      /post_master@vtext\.com|sysadmin@\S+\.vzwpix\.com/i.test(first(h, 'from')),
  ],
  // fml: its list-server header, an -admin sender and its own Message-ID form.
  ['fml', (h) => h.has('x-mlserver') && /.+-admin@.+/.test(first(h, 'from')) && /^<\d+\.FML.+@.+>$/.test(first(h, 'message-id'))],
  // McAfee's gateway marks what it modified and calls its report "Delivery Status".
  ['mcafee', (h) => first(h, 'x-nai-header').includes('Modified by McAfee') && first(h, 'subject') === 'Delivery Status'],
  // InterScan: its own sender names, or its subjects.
  [
    'interscan',
    (h) =>
      /^"InterScan (?:MSS|Notification)"/.test(first(h, 'from')) ||
      ['Mail could not be delivered', 'メッセージを配信できません。', 'メール配信に失敗しました'].includes(first(h, 'subject')),
  ],
  // Exim: two of its marks (its "Mail Delivery System" sender, its Message-ID form, its subjects); not Mail.ru's own Exim.
  [
    'exim',
    (h) => {
      const from = first(h, 'from');
      if (/@.+\.mail\.ru>?$/i.test(from)) return false;
      const marks = [
        from.startsWith('Mail Delivery System'),
        /^<\w{7}-\w{6}-\w{2}@/.test(first(h, 'message-id')),
        /Mail delivery failed(?:: returning message to sender)?|Warning: message \S+ delayed +|Delivery Status Notification|Mail failure|Message frozen|error\(s\) in forwarding or filtering/.test(
          first(h, 'subject'),
        ),
      ];
      return marks.filter(Boolean).length >= 2;
    },
  ],
  // Lotus Notes: "Undeliverable message" as the subject's start.
  ['notes', (h) => first(h, 'subject').startsWith('Undeliverable message')],
  // Courier: its sender, its subjects, or its Message-ID form.
  [
    'courier',
    (h) =>
      first(h, 'from').includes('Courier mail server at ') ||
      /NOTICE: mail delivery status\.|WARNING: delayed mail\./.test(first(h, 'subject')) ||
      /^<courier\.[0-9A-F]+\./.test(first(h, 'message-id')),
  ],
  // MessageLabs: its X-Msg-Ref, its MAILER-DAEMON and its "Mail Delivery Failure" subject.
  [
    'messagelabs',
    (h) =>
      h.has('x-msg-ref') &&
      /MAILER-DAEMON@messagelabs\.com/i.test(first(h, 'from')) &&
      first(h, 'subject').startsWith('Mail Delivery Failure'),
  ],
  // qmail: its subjects, or qmail's own "invoked for bounce" Received line.
  [
    'qmail',
    (h) =>
      /^(?:failure notice|Permanent Delivery Failure)/.test(first(h, 'subject')) ||
      all(h, 'received').some((r) => /^\(qmail \d+ invoked for bounce\)/.test(r.trim())),
  ],
];

/** The vendor whose bounce this is, or null. */
export function recogniseVendor(headers: HeaderMap): VendorId | null {
  for (const [id, signed] of SIGNATURES) if (signed(headers)) return id;
  return null;
}
