/**
 * mbox (RFC 4155): messages one after another, each starting with a
 * "From sender date" line at the start of the file or after an empty line.
 * Pure: bytes in, the bytes of each message out (the "From " line removed,
 * mboxrd ">From " quoting undone). MboxSplitter takes the bytes in chunks, so
 * a large mailbox is read as a stream and only one message is held at a time.
 */
import { normalizeLineEndings } from './bytes.js';

/** Any "From " line opens the file; later ones must look like one (a time and a year), so that body text is not cut. */
const FIRST_FROM_LINE = /^From \S+(?: .*)?$/;
const FROM_LINE = /^From \S+ .*\b\d{1,2}:\d{2}\b.*\b\d{4}\b/;
const HEADER_FIELD = /^[A-Za-z][A-Za-z0-9-]{0,60}:/;
/** How many messages splitMbox yields from one buffer (it holds them all); the stream has no such cap. */
export const MAX_MBOX_MESSAGES = 10000;

export function isMbox(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return FIRST_FROM_LINE.test(head.split(/\r\n|\r|\n/, 1)[0] ?? '');
}

/**
 * Splits an mbox given chunk by chunk: push() returns the messages completed
 * so far, end() the rest. Line ends as normalizeLineEndings leaves them (a
 * lone CR becomes LF, CRLF stays), also when a CRLF is cut between chunks.
 */
export class MboxSplitter {
  /** The unfinished last line (latin1, one char a byte). */
  private carry = '';
  /** A complete line waiting for the next one: whether it opens a message may depend on it. */
  private held: string | null = null;
  private current: string[] | null = null;
  private previousBlank = true;
  private opened = 0;

  constructor(private readonly maxMessages = Infinity) {}

  push(chunk: Uint8Array): Buffer[] {
    let text = this.carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    // A CR at the very end may be the first half of a CRLF: decide with the next chunk.
    const tail = text.endsWith('\r') ? '\r' : '';
    if (tail) text = text.slice(0, -1);
    const lines = text.replace(/\r(?!\n)/g, '\n').split('\n');
    this.carry = lines.pop()! + tail;
    const out: Buffer[] = [];
    for (const line of lines) this.feed(line, out);
    return out;
  }

  end(): Buffer[] {
    const out: Buffer[] = [];
    // As split('\n') does, the text after the last line end is a line too (often '').
    this.feed(this.carry.replace(/\r$/, '\n').replace(/\r(?!\n)/g, '\n'), out);
    this.carry = '';
    if (this.held !== null) this.take(this.held, undefined, out);
    this.held = null;
    this.finish(out);
    return out;
  }

  private feed(line: string, out: Buffer[]): void {
    // A trailing lone CR turned into LF above may have produced a line end inside `line`.
    for (const part of line.split('\n')) {
      if (this.held !== null) this.take(this.held, part, out);
      this.held = part;
    }
  }

  private take(raw: string, next: string | undefined, out: Buffer[]): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // RFC 4155 wants an empty line before "From "; some writers leave it out, so a line that
    // looks like a separator and is followed by a header field also counts.
    const opens =
      this.current === null ? FIRST_FROM_LINE.test(line) : FROM_LINE.test(line) && (this.previousBlank || HEADER_FIELD.test(next ?? ''));
    if (opens && this.opened < this.maxMessages) {
      this.finish(out);
      this.current = [];
      this.opened++;
    } else if (this.current) {
      // mboxrd: a body line that began with "From " was written as ">From ".
      this.current.push(/^>+From /.test(line) ? raw.slice(1) : raw);
    }
    this.previousBlank = line === '';
  }

  private finish(out: Buffer[]): void {
    const m = this.current;
    if (!m) return;
    this.current = null;
    while (m.length && (m[m.length - 1] === '' || m[m.length - 1] === '\r')) m.pop();
    const bytes = Buffer.from(`${m.join('\n')}\n`, 'latin1');
    if (bytes.length > 1) out.push(bytes);
  }
}

export function splitMbox(bytes: Uint8Array): Buffer[] {
  const splitter = new MboxSplitter(MAX_MBOX_MESSAGES);
  return [...splitter.push(normalizeLineEndings(bytes)), ...splitter.end()];
}
