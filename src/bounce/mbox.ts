/**
 * mbox (RFC 4155): messages one after another, each starting with a
 * "From sender date" line at the start of the file or after an empty line.
 * Pure: bytes in, the bytes of each message out (the "From " line removed,
 * mboxrd ">From " quoting undone).
 */
import { normalizeLineEndings } from './bytes.js';

/** Any "From " line opens the file; later ones must look like one (a time and a year), so that body text is not cut. */
const FIRST_FROM_LINE = /^From \S+(?: .*)?$/;
const FROM_LINE = /^From \S+ .*\b\d{1,2}:\d{2}\b.*\b\d{4}\b/;
/** How many messages one mbox may yield. */
export const MAX_MBOX_MESSAGES = 10000;

export function isMbox(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return FIRST_FROM_LINE.test(head.split(/\r\n|\r|\n/, 1)[0] ?? '');
}

export function splitMbox(bytes: Uint8Array): Buffer[] {
  const text = normalizeLineEndings(bytes).toString('latin1');
  const lines = text.split('\n');
  const messages: string[][] = [];
  let current: string[] | null = null;
  let previousBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // RFC 4155 wants an empty line before "From "; some writers leave it out, so a line that
    // looks like a separator and is followed by a header field also counts.
    const opens =
      current === null
        ? FIRST_FROM_LINE.test(line)
        : FROM_LINE.test(line) && (previousBlank || /^[A-Za-z][A-Za-z0-9-]{0,60}:/.test(lines[i + 1] ?? ''));
    if (opens && messages.length < MAX_MBOX_MESSAGES) {
      current = [];
      messages.push(current);
    } else if (current) {
      // mboxrd: a body line that began with "From " was written as ">From ".
      current.push(/^>+From /.test(line) ? raw.slice(1) : raw);
    }
    previousBlank = line === '';
  }
  return messages
    .map((m) => {
      while (m.length && (m[m.length - 1] === '' || m[m.length - 1] === '\r')) m.pop();
      return Buffer.from(`${m.join('\n')}\n`, 'latin1');
    })
    .filter((b) => b.length > 1);
}
