/**
 * Byte-level checks before any parsing: line endings, empty and binary input,
 * and whether the bytes look like a message or like pasted text.
 */

const CR = 0x0d;
const LF = 0x0a;

/**
 * CRLF stays, a lone CR (classic Mac OS files) becomes LF: MIME parsers split
 * on LF, so a CR-only file would otherwise be one endless header line.
 */
export function normalizeLineEndings(bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Most files have no CR or only CRLF: hop from CR to CR (native) to find a lone one before copying.
  let cr = buf.indexOf(CR);
  while (cr >= 0 && buf[cr + 1] === LF) cr = buf.indexOf(CR, cr + 2);
  if (cr < 0) return buf;
  const out = Buffer.allocUnsafe(buf.length);
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    out[i] = b === CR && buf[i + 1] !== LF ? LF : b;
  }
  return out;
}

/** The compound-file signature of Outlook .msg files (and other OLE2 documents). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export type ContentKind = 'empty' | 'binary' | 'outlook-msg' | 'mbox' | 'message' | 'text';

/** How many bytes the sniffers look at. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Binary junk: NUL bytes, or many C0 controls other than tab, line ends, form
 * feed and ESC (ISO-2022-JP text is full of ESC). 8-bit bytes are normal in mail.
 */
function looksBinary(head: Buffer, text: string): boolean {
  if (head.includes(0)) return true;
  // Native scans, not a loop over the bytes: this runs on every input, mostly before the JIT has warmed up.
  if (!CONTROL.test(text)) return false;
  const controls = text.match(CONTROLS)?.length ?? 0;
  return controls > 8 && controls * 50 > head.length;
}

/** C0 controls other than NUL (tested first), tab, LF, form feed, CR and ESC. */
const CONTROL = /[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

// RFC 5322 §2.2: a header field name is printable ASCII except ":". We accept the
// names real messages start with, so that pasted "Status: 5.1.1" stays text.
const HEADER_LINE = /^([!-9;-~]{1,76}):[ \t]?/;
const MESSAGE_HEADERS = new Set([
  'received',
  'return-path',
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'delivered-to',
  'x-original-to',
  'envelope-to',
  'delivery-date',
  'sender',
  'reply-to',
  'dkim-signature',
  'authentication-results',
  'received-spf',
  'x-failed-recipients',
  'auto-submitted',
  'in-reply-to',
  'references',
  'x-mailer',
  'content-transfer-encoding',
  'thread-topic',
  'thread-index',
  'x-ms-exchange-message-is-ndr',
]);

/** An mbox "From " separator line (RFC 4155): "From sender date". */
export const MBOX_FROM_LINE = /^From \S*.*$/;

/**
 * Decides what the bytes are. A message starts with header fields and has at
 * least two of the ones messages carry; an mbox starts with a "From " line.
 * `latin1Head`: the first SNIFF_BYTES of `bytes` as latin1, when the caller has them.
 */
export function sniffContent(bytes: Uint8Array, latin1Head?: string): ContentKind {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  while (start < buf.length && (buf[start] === LF || buf[start] === CR || buf[start] === 0x20 || buf[start] === 0x09)) start++;
  if (start >= buf.length) return 'empty';
  const head = buf.subarray(0, Math.min(buf.length, SNIFF_BYTES));
  if (OLE_MAGIC.every((b, i) => head[i] === b)) return 'outlook-msg';
  // One decoding of the head (latin1: one character per byte) for both checks, or the caller's.
  const headText = latin1Head ?? head.toString('latin1');
  if (looksBinary(head, headText)) return 'binary';
  // Most header blocks fit in the first few kilobytes: decide on those when they suffice.
  for (let size = 4096; ; size *= 4) {
    const end = Math.min(head.length, start + size);
    const text = headText.slice(start, end);
    const kind = sniffLines(text.includes('\r') ? text.split(/\r\n|\r|\n/, 200) : text.split('\n', 200), end === head.length);
    if (kind) return kind;
  }
}

/**
 * The decision on the first lines of the input. `whole`: these are all the
 * lines sniffed; otherwise the last one may be cut short, and the answer is
 * null when it would depend on that line (or on lines after it).
 */
function sniffLines(lines: string[], whole: boolean): ContentKind | null {
  // A line is complete when a line break follows it inside the decoded part.
  const complete = (i: number) => whole || i < lines.length - 1;
  if (!complete(1)) return null;
  if (MBOX_FROM_LINE.test(lines[0]!) && lines.length > 1 && HEADER_LINE.test(lines[1]!)) return 'mbox';
  let known = 0;
  let fields = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!complete(i)) return null;
    const line = lines[i]!;
    if (line === '') break;
    if (/^[ \t]/.test(line) && fields > 0) continue;
    const m = HEADER_LINE.exec(line);
    if (!m) break;
    fields++;
    if (MESSAGE_HEADERS.has(m[1]!.toLowerCase())) known++;
  }
  // Here after a blank or non-header line, both complete, or after the last line sniffed (whole).
  return known >= 2 ? 'message' : 'text';
}

/**
 * The byte order of UTF-16 text: from its BOM, or, without one, from the
 * zero bytes that ASCII-range characters leave in every other place (Windows
 * "Unicode" text, a message saved from some mail clients). null: not UTF-16.
 */
export function utf16Order(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes[2] === 0 && bytes[3] === 0 ? null : 'le'; // FF FE 00 00 is UTF-32
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  const n = Math.min(bytes.length, 4096) & ~1;
  // Most text has no zero byte at all: a native scan says so before the loop below.
  if (n < 8 || !Buffer.from(bytes.buffer, bytes.byteOffset, n).includes(0)) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  // Nearly every character in one half of the pairs is zero, and (almost) none in the other half.
  const pairs = n / 2;
  if (zeroOdd >= pairs * 0.9 && zeroEven <= pairs * 0.02) return 'le';
  if (zeroEven >= pairs * 0.9 && zeroOdd <= pairs * 0.02) return 'be';
  return null;
}

/** UTF-16 text (with or without a BOM) as UTF-8 bytes; null when the bytes are not UTF-16. */
export function utf16ToUtf8(bytes: Uint8Array): Buffer | null {
  const order = utf16Order(bytes);
  if (!order) return null;
  // TextDecoder drops a BOM that matches its byte order.
  return Buffer.from(new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be').decode(bytes), 'utf8');
}
