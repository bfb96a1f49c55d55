/**
 * The line-by-line mbox splitter that src/bounce/mbox.ts used until
 * 2026-12-04, kept as the reference model: the faster MboxSplitter must
 * split every input exactly as this one does (test/bounce/mbox.test.ts).
 */
const FIRST_FROM_LINE = /^From \S+(?: .*)?$/;
const FROM_LINE = /^From \S+ .*\b\d{1,2}:\d{2}\b.*\b\d{4}\b/;
const HEADER_FIELD = /^[A-Za-z][A-Za-z0-9-]{0,60}:/;
export class LineMboxSplitter {
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
