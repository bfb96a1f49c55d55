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
 *
 * Only lines that start with "From " can open a message, so the text between
 * them is taken as a whole (found with indexOf, copied as slices) rather than
 * line by line; mboxrd quoting is undone on each message at once. It splits
 * exactly as the line-by-line reading did (test/bounce/mbox.test.ts compares
 * the two on generated mailboxes cut into chunks at random).
 */
export class MboxSplitter {
  /** Text not read yet: an unfinished last line, perhaps after a "From " line that waits for the line after it. */
  private carry = '';
  /**
   * Chunks after `carry` that hold no line end (a line longer than a chunk): kept apart and joined
   * once a line end comes, so that a long line is not copied again with every chunk.
   */
  private pending: string[] = [];
  /** The message being read (slices of text), null before the first one. */
  private current: string[] | null = null;
  /** Whether the last line read was empty: a "From " line after one opens a message. */
  private previousBlank = true;
  private opened = 0;

  constructor(private readonly maxMessages = Infinity) {}

  push(chunk: Uint8Array): Buffer[] {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    // No line end in it (nor a CR before it that may become one): nothing can be read before the next chunk.
    if (!piece.includes('\n') && !piece.includes('\r') && !this.carry.endsWith('\r')) {
      this.pending.push(piece);
      return [];
    }
    let text = this.carry + this.takePending() + piece;
    // A CR at the very end may be the first half of a CRLF: decide with the next chunk.
    const tail = text.endsWith('\r') ? '\r' : '';
    if (tail) text = text.slice(0, -1);
    if (text.includes('\r')) text = text.replace(/\r(?!\n)/g, '\n');
    const complete = text.lastIndexOf('\n') + 1;
    const out: Buffer[] = [];
    const done = this.read(text, complete, false, out);
    this.carry = text.slice(done) + tail;
    return out;
  }

  end(): Buffer[] {
    const out: Buffer[] = [];
    // As split('\n') does, the text after the last line end is a line too (often '').
    const text = `${(this.carry + this.takePending()).replace(/\r$/, '\n').replace(/\r(?!\n)/g, '\n')}\n`;
    this.carry = '';
    this.read(text, text.length, true, out);
    this.finish(out);
    return out;
  }

  private takePending(): string {
    if (!this.pending.length) return '';
    const text = this.pending.join('');
    this.pending = [];
    return text;
  }

  /**
   * Reads the whole lines of text[0, end) and returns where it stopped: at
   * `end`, or (unless `last`) at a "From " line whose fate depends on a line
   * not read yet.
   */
  private read(text: string, end: number, last: boolean, out: Buffer[]): number {
    let pos = 0;
    let taken = 0; // text[taken, pos) belongs to the current message
    while (pos < end) {
      // pos is where a line starts: the next line that starts with "From " is here or after a line end.
      let at = pos;
      if (!text.startsWith('From ', pos)) {
        const lf = text.indexOf('\nFrom ', pos);
        if (lf < 0) break;
        at = lf + 1;
      }
      if (at >= end) break;
      const lineEnd = text.indexOf('\n', at);
      const raw = text.slice(at, lineEnd);
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const blankBefore = at === 0 ? this.previousBlank : isBlankBefore(text, at);
      // RFC 4155 wants an empty line before "From "; some writers leave it out, so a line that
      // looks like a separator and is followed by a header field also counts.
      let opens: boolean;
      if (this.current === null) opens = FIRST_FROM_LINE.test(line);
      else if (!FROM_LINE.test(line)) opens = false;
      else if (blankBefore) opens = true;
      else if (lineEnd + 1 >= end && !last) {
        // The line after it decides: read on from here once it has come.
        this.take(text, taken, at);
        this.previousBlank = blankBefore;
        return at;
      } else opens = HEADER_FIELD.test(lineEnd + 1 < end ? text.slice(lineEnd + 1, text.indexOf('\n', lineEnd + 1)) : '');
      if (opens && this.opened < this.maxMessages) {
        this.take(text, taken, at);
        this.finish(out);
        this.current = [];
        this.opened++;
        taken = lineEnd + 1;
      }
      pos = lineEnd + 1;
    }
    this.take(text, taken, end);
    if (end > 0) this.previousBlank = isBlankBefore(text, end);
    return end;
  }

  /** Adds text[from, to) to the current message (text before the first message is dropped). */
  private take(text: string, from: number, to: number): void {
    if (this.current && to > from) this.current.push(text.slice(from, to));
  }

  private finish(out: Buffer[]): void {
    const m = this.current;
    if (!m) return;
    this.current = null;
    let text = m.join('');
    // Trailing empty lines go; the message ends with one line break.
    let cut = text.length;
    while (cut > 0) {
      // (lastIndexOf takes a negative start as 0: the first line needs its own case.)
      const start = cut >= 2 ? text.lastIndexOf('\n', cut - 2) + 1 : 0;
      const line = text.slice(start, cut - 1);
      if (line !== '' && line !== '\r') break;
      cut = start;
    }
    text = text.slice(0, cut);
    if (!text) return;
    // mboxrd: a body line that began with "From " was written as ">From ".
    if (text.includes('>From ')) text = text.replace(/^>(>*From )/gm, '$1');
    out.push(Buffer.from(text, 'latin1'));
  }
}

/**
 * Whether the line before the one that starts at `at` (> 0) is empty or only
 * a CR. text[at - 1] is that line's LF, and text starts where a line starts.
 */
function isBlankBefore(text: string, at: number): boolean {
  const lineStart = (i: number) => i === 0 || text.charCodeAt(i - 1) === 0x0a;
  return lineStart(at - 1) || (at >= 2 && text.charCodeAt(at - 2) === 0x0d && lineStart(at - 2));
}

export function splitMbox(bytes: Uint8Array): Buffer[] {
  const splitter = new MboxSplitter(MAX_MBOX_MESSAGES);
  return [...splitter.push(normalizeLineEndings(bytes)), ...splitter.end()];
}
