/**
 * The MIME layer: bytes in, a small view of the message out. Our own reader
 * (mime-view.ts) handles what bounces are made of; mailparser takes over for
 * what that reader leaves to it (HTML that must become text, charsets that
 * TextDecoder and our UTF-7 decoder do not know). mailparser is imported
 * lazily, only then.
 */
import type { AddressObject, HeaderValue, ParsedMail } from 'mailparser';
import { InputError, InputTooLargeError } from '../core/errors.js';
import { LIMITS } from './limits.js';
import { PART_TYPES, readHeaderBlockView, readMimeView, type MimePart, type MimeView } from './mime-view.js';
import { measureStructure } from './structure.js';
import { isoTime } from './iso-time.js';

export type { MimePart, MimeView } from './mime-view.js';

type Parser = typeof import('mailparser').simpleParser;
let parserPromise: Promise<Parser> | null = null;

function loadParser(): Promise<Parser> {
  parserPromise ??= import('mailparser').then((m) => m.simpleParser);
  return parserPromise;
}

function addresses(v: HeaderValue | undefined): string[] {
  if (!v) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item instanceof Date || !('value' in item) || !Array.isArray(item.value)) continue;
    for (const a of (item as AddressObject).value) {
      if (a.address) out.push(a.address);
      for (const g of a.group ?? []) if (g.address) out.push(g.address);
    }
  }
  return out;
}

function headerStrings(v: HeaderValue): string[] {
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (item instanceof Date) out.push(Number.isNaN(item.getTime()) ? '' : isoTime(item.getTime()));
    else if (item && typeof item === 'object') {
      if ('text' in item && typeof (item as AddressObject).text === 'string') out.push((item as AddressObject).text);
      else if ('value' in item && typeof (item as { value: unknown }).value === 'string') out.push((item as { value: string }).value);
    }
  }
  return out;
}

export interface MimeOptions {
  /** How many nested message levels to parse (returned messages are parsed with one level less). */
  maxDepth?: number;
  /** 'auto' (the default): our reader, mailparser where it must; 'mailparser': mailparser always (tests compare the two). */
  engine?: 'auto' | 'mailparser';
  /** The bytes as latin1, when the caller has decoded them already. */
  latin1?: string;
}

/** Parses a whole message. Throws InputError for input it refuses (nesting, header size). */
export async function parseMime(bytes: Buffer, opts: MimeOptions = {}): Promise<MimeView> {
  const maxDepth = opts.maxDepth ?? LIMITS.maxMimeDepth;
  const latin1 = opts.latin1 ?? bytes.toString('latin1');
  const stats = measureStructure(latin1, maxDepth);
  if (stats.depth > maxDepth) throw new InputError(`MIME parts nested deeper than ${maxDepth} levels`);
  if (stats.largestHeaderBlock > LIMITS.maxHeaderBytes)
    throw new InputTooLargeError(`a header block is larger than ${LIMITS.maxHeaderBytes} bytes`);
  if (stats.mostHeaderFields > LIMITS.maxHeaderFields)
    throw new InputTooLargeError(`a header block has more than ${LIMITS.maxHeaderFields} header fields`);
  if (stats.parts > LIMITS.maxMimeParts) throw new InputError(`more than ${LIMITS.maxMimeParts} MIME parts`);

  const fast = opts.engine === 'mailparser' ? null : readMimeView(bytes, latin1);
  if (fast) return finish(fast, bytes);

  const simpleParser = await loadParser();
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxHtmlLengthToParse: LIMITS.maxHtmlChars,
      maxHeadSize: LIMITS.maxHeaderBytes,
      maxChildNodes: LIMITS.maxMimeParts,
    });
  } catch (e) {
    // mailsplit counts each header line as at least 64 bytes, so a block under our byte limit can still pass its own.
    if (/max header size/i.test((e as Error).message))
      throw new InputTooLargeError(`a header block is larger than ${LIMITS.maxHeaderBytes} bytes (counting each line as at least 64)`);
    throw new InputError(`cannot parse the message (${(e as Error).message.slice(0, 200)})`);
  }

  const headers = new Map<string, string[]>();
  for (const [key, value] of mail.headers) headers.set(key, headerStrings(value));
  const ct = mail.headers.get('content-type') as { value?: unknown; params?: Record<string, string> } | undefined;
  const contentType = ct && typeof ct === 'object' && typeof ct.value === 'string' ? ct.value.toLowerCase() : 'text/plain';
  const params = ct && typeof ct === 'object' && ct.params ? ct.params : {};

  const parts: MimePart[] = [];
  for (const a of mail.attachments) {
    // mailparser leaves contentType unset on a part cut off inside its header block (found by test/fuzz).
    const type = typeof a.contentType === 'string' ? a.contentType.toLowerCase() : '';
    if (PART_TYPES.has(type)) parts.push({ contentType: type, content: a.content });
  }
  const date = mail.date && !Number.isNaN(mail.date.getTime()) && headers.has('date') ? isoTime(mail.date.getTime()) : null;

  return finish(
    {
      headers,
      subject: mail.subject ?? null,
      from: addresses(mail.from)[0] ?? null,
      to: addresses(mail.to),
      cc: addresses(mail.cc),
      date,
      messageId: mail.messageId ?? null,
      contentType,
      reportType: params['report-type']?.toLowerCase() ?? null,
      text: mail.text ?? '',
      parts,
    },
    bytes,
  );
}

/** What both readers share: the text of a multipart without its parts, the scan bound, LF line ends. */
function finish(view: MimeView, bytes: Buffer): MimeView {
  let text = view.text;
  // A multipart whose declared boundary never occurs yields nothing: read its body as text.
  if (!text.trim() && !view.parts.length && view.contentType.startsWith('multipart/')) text = rawBody(bytes);
  if (text.length > LIMITS.maxScanChars) text = text.slice(0, LIMITS.maxScanChars);
  return { ...view, text: text.replace(/\r\n/g, '\n') };
}

function rawBody(bytes: Buffer): string {
  const lf = bytes.indexOf('\n\n');
  const crlf = bytes.indexOf('\r\n\r\n');
  const at = lf < 0 ? crlf : crlf < 0 ? lf : Math.min(lf, crlf);
  if (at < 0) return '';
  return bytes
    .subarray(at, at + LIMITS.maxScanChars)
    .toString('utf8')
    .trim();
}

/**
 * Parses only a header block (a returned message's headers); bodies are
 * ignored. Its headers, addresses, date and types are those parseMime finds
 * in the block followed by an empty line (test/bounce/mime-view.test.ts
 * compares them); it has no text and no parts, and needs no MIME tree.
 */
export async function parseHeaderBlock(bytes: Buffer): Promise<MimeView> {
  let end = bytes.length;
  for (const sep of ['\n\n', '\r\n\r\n']) {
    const i = bytes.indexOf(sep);
    if (i >= 0 && i < end) end = i;
  }
  end = Math.min(end, LIMITS.maxReturnedHeaderBytes);
  // The block ends at its first empty line, as the MIME reader reads it; a mix of line ends can hide one from the search above.
  const mixed = /\n\r?\n|^\r?\n/.exec(bytes.toString('latin1', 0, end));
  if (mixed) end = mixed.index + (mixed[0].startsWith('\n') ? 1 : 0);
  const view = readHeaderBlockView(bytes.subarray(0, end));
  if (view.headers.size && countFields(view) > LIMITS.maxHeaderFields) {
    throw new InputTooLargeError(`a header block has more than ${LIMITS.maxHeaderFields} header fields`);
  }
  return view;
}

function countFields(view: MimeView): number {
  let n = 0;
  for (const values of view.headers.values()) n += values.length;
  return n;
}

export function firstHeader(view: MimeView, name: string): string | null {
  return view.headers.get(name)?.[0] ?? null;
}
