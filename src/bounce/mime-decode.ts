/**
 * The decoders of the MIME reader: transfer encodings (RFC 2045 §6), charsets
 * (through the WHATWG TextDecoder, which Node builds with full ICU, and our
 * own UTF-7, which it lacks), encoded words in headers (RFC 2047) and
 * format=flowed text (RFC 3676). Pure: bytes in, bytes or strings out.
 */
import { utf16Order } from './bytes.js';

/** Charset labels mail uses that TextDecoder does not know by that name. */
const CHARSET_ALIASES: Record<string, string> = {
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  usascii: 'utf-8',
  utf8: 'utf-8',
  cp932: 'shift_jis',
  'x-sjis': 'shift_jis',
  ms936: 'gbk',
  cp936: 'gbk',
  cp949: 'euc-kr',
  ks_c_5601: 'euc-kr',
  'x-unknown': 'utf-8',
  unknown: 'utf-8',
  'unknown-8bit': 'utf-8',
  '8bit': 'utf-8',
  default: 'utf-8',
};

const decoders = new Map<string, TextDecoder | null>();

/** The decoder for a charset label, or null when TextDecoder has none for it. */
export function charsetDecoder(label: string): TextDecoder | null {
  let key = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  const star = key.indexOf('*');
  if (star >= 0) key = key.slice(0, star);
  key = CHARSET_ALIASES[key] ?? key;
  const cached = decoders.get(key);
  if (cached !== undefined) return cached;
  let decoder: TextDecoder | null;
  try {
    decoder = new TextDecoder(key || 'utf-8');
  } catch {
    decoder = null;
  }
  if (decoders.size < 64) decoders.set(key, decoder);
  return decoder;
}

/** Labels under which UTF-16 bytes are read by their BOM or zero bytes (see decodeCharset). */
const UTF16_OR_DEFAULT = /^["']?(?:utf-?16|unicode|ucs-?2|utf-?8|us-?ascii|ascii)["']?$/i;

/** Bytes in a charset to text; null when the charset is unknown here. */
export function decodeCharset(bytes: Uint8Array, label: string | undefined): string | null {
  if (label && isUtf7(label)) return decodeUtf7(bytes);
  // UTF-16 by its BOM or its zero bytes: labelled "utf-16" without a byte order, or not labelled
  // (or labelled as ASCII/UTF-8, which such bytes cannot be). "utf-16le"/"utf-16be" are taken as said.
  if (!label || UTF16_OR_DEFAULT.test(label.trim())) {
    const order = utf16Order(bytes);
    if (order) return new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be').decode(bytes);
  }
  const decoder = charsetDecoder(label ?? 'utf-8');
  return decoder ? decoder.decode(bytes) : null;
}

/** UTF-7 under its labels (Outlook's reports say "unicode-1-1-utf-7"), compared as iconv-lite compares them. */
function isUtf7(label: string): boolean {
  const key = label.toLowerCase().replace(/[^0-9a-z]/g, '');
  return key === 'utf7' || key === 'unicode11utf7';
}

const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * UTF-7 (RFC 2152), which TextDecoder lacks: direct characters as they are
 * (high bit cleared, as iconv-lite reads them), "+" opens base64 of UTF-16
 * code units up to the first non-base64 byte, a "-" there is absorbed, "+-"
 * is "+", and bits left over at the end of a run are dropped.
 */
export function decodeUtf7(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    while (i < bytes.length && bytes[i] !== 0x2b) i++;
    if (i > start) out += Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('ascii');
    if (i >= bytes.length) break;
    i++; // the "+"
    if (bytes[i] === 0x2d) {
      out += '+';
      i++;
      continue;
    }
    let bits = 0;
    let count = 0;
    const units: number[] = [];
    for (; i < bytes.length; i++) {
      const c = bytes[i]!;
      const v = c < 128 ? BASE64_VALUE[c]! : -1;
      if (v < 0) break;
      bits = ((bits << 6) | v) & 0xffffff;
      count += 6;
      if (count >= 16) {
        count -= 16;
        units.push((bits >> count) & 0xffff);
      }
    }
    for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
    if (bytes[i] === 0x2d) i++;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Quoted-printable (RFC 2045 §6.7): "=XX" octets, "=" at a line end is a soft break; a malformed "=" stays. */
export function decodeQuotedPrintable(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== 0x3d) {
      out[n++] = c;
      continue;
    }
    // A soft line break: "=" then optional white space then the line end.
    let j = i + 1;
    while (j < input.length && (input[j] === 0x20 || input[j] === 0x09)) j++;
    if (j < input.length && input[j] === 0x0d) j++;
    if (j < input.length && input[j] === 0x0a) {
      i = j;
      continue;
    }
    if (j >= input.length) break;
    const hi = i + 2 < input.length ? hexValue(input[i + 1]!) : -1;
    const lo = hi >= 0 ? hexValue(input[i + 2]!) : -1;
    if (lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

/** The body of a part, undone from its Content-Transfer-Encoding; 7bit, 8bit, binary and unknown stay as they are. */
export function decodeTransfer(body: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/**
 * format=flowed (RFC 3676 §4): a line ending in a space continues on the next
 * line of the same quote depth; with DelSp=yes that space goes too. Space
 * stuffing is removed. Works on a binary (latin1) string, before the charset.
 */
export function decodeFlowed(input: string, delSp: boolean): string {
  const lines = input.split(/\r?\n/);
  const out: string[] = [];
  // The paragraph is kept as pieces and joined once: testing a growing string would flatten it on every line.
  let pieces: string[] = [];
  let depth = -1;
  let prefix = '';
  const last = () => pieces[pieces.length - 1] ?? '';
  for (const line of lines) {
    let lineDepth = 0;
    while (line.charCodeAt(lineDepth) === 0x3e) lineDepth++;
    const prefixLength = lineDepth && line.charCodeAt(lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    const content = line.slice(prefixLength);
    const isSignature = pieces.length === 1 && pieces[0] === '-- ';
    if (depth === lineDepth && last().endsWith(' ') && !isSignature) {
      if (delSp) pieces[pieces.length - 1] = last().slice(0, -1);
      const piece = lineDepth ? content : content.replace(/^ /, '');
      if (piece) pieces.push(piece);
    } else {
      if (depth >= 0) out.push(prefix + pieces.join(''));
      depth = lineDepth;
      prefix = line.slice(0, prefixLength);
      pieces = content ? [content] : [];
    }
    if (pieces.length && !last()) pieces.pop();
  }
  if (depth >= 0 && (pieces.length || prefix)) out.push(prefix + pieces.join(''));
  return out.join('\n').replace(/^ /gm, '');
}

const ENCODED_WORD = /=\?([^?\s]{1,75})\?([QqBb])\?([^?]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text, 'base64');
  const bytes = Buffer.from(text.replace(/_/g, ' '), 'latin1');
  return decodeQuotedPrintable(bytes);
}

/**
 * RFC 2047 encoded words in a header value. White space between two encoded
 * words goes (§6.2); neighbouring words in one charset are decoded together,
 * so a character split across two words survives. An unknown charset reads as UTF-8.
 */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending: { charset: string; chunks: Buffer[] } | null = null;
  const flush = () => {
    if (!pending) return;
    const bytes = Buffer.concat(pending.chunks);
    out += decodeCharset(bytes, pending.charset) ?? bytes.toString('utf8');
    pending = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    const charset = m[1]!.toLowerCase();
    if (pending && /^\s*$/.test(between) && (pending as { charset: string }).charset === charset) {
      (pending as { chunks: Buffer[] }).chunks.push(wordBytes(m[2]!, m[3]!));
    } else {
      const joined: boolean = pending !== null && /^\s*$/.test(between);
      flush();
      if (!joined) out += between;
      pending = { charset, chunks: [wordBytes(m[2]!, m[3]!)] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}
