/**
 * Domain names as they are on the wire: a sequence of labels, each up to 63
 * octets of any value (RFC 1035 §3.1, RFC 2181 §11). In text a name is shown
 * in the presentation form of RFC 1035 §5.1 / RFC 4343 §2.1: labels joined by
 * dots, and a dot or backslash inside a label escaped as `\.` and `\\` (a
 * query name may also say `\DDD` for an octet). So the one 40-octet label
 * `example-test.mail.protection.outlook.com` is written
 * `example-test\.mail\.protection\.outlook\.com` and never taken for four
 * labels. dns-packet joins labels with plain dots, which loses exactly that
 * (message.ts reads the names itself).
 */

/** RFC 1035 §2.3.4. */
export const MAX_WIRE_LABEL = 63;
export const MAX_WIRE_NAME = 255;

/**
 * One label as text: a dot or backslash inside it escaped (`\.`, `\\`), other
 * octets read as UTF-8, as dns-packet reads them, so that what a hostile
 * server puts in a name (controls, bidi) reaches the one sanitiser of
 * src/render/sanitize.ts as characters and is shown the way it shows them.
 */
export function escapeLabel(octets: Uint8Array): string {
  return Buffer.from(octets).toString('utf8').replace(/[.\\]/g, '\\$&');
}

/**
 * The labels of a name in presentation form (no trailing dot, "" or "." for
 * the root), or a reason it is not one: a backslash starts `\DDD` (a decimal
 * octet) or escapes the next character.
 */
export function parseLabels(name: string): { labels: Buffer[] } | { problem: string } {
  if (name === '' || name === '.') return { labels: [] };
  const labels: Buffer[] = [];
  let current: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x7e || c < 0x21) return { problem: 'contains spaces, control or non-ASCII characters' };
    if (c === 0x2e) {
      if (current.length === 0) return { problem: 'empty label (two dots in a row, or a leading dot)' };
      labels.push(Buffer.from(current));
      current = [];
    } else if (c === 0x5c) {
      const digits = /^[0-9]{3}/.exec(name.slice(i + 1, i + 4));
      if (digits) {
        const octet = Number(digits[0]);
        if (octet > 255) return { problem: `escape \\${digits[0]} is not an octet` };
        current.push(octet);
        i += 3;
      } else if (i + 1 < name.length) {
        current.push(name.charCodeAt(++i));
      } else return { problem: 'ends with a lone backslash' };
    } else current.push(c);
  }
  if (current.length === 0) return { problem: 'empty label (two dots in a row, or a leading dot)' };
  labels.push(Buffer.from(current));
  return { labels };
}

/** The canonical presentation form of labels: lower-case ASCII letters (RFC 4343 §3), escapes as escapeLabel writes them. */
export function presentLabels(labels: Buffer[]): string {
  return labels.map((l) => escapeLabel(Uint8Array.from(l, (o) => (o >= 0x41 && o <= 0x5a ? o + 32 : o)))).join('.');
}

/** The wire form of a name's labels, ending with the root label. */
export function encodeLabels(labels: Buffer[]): Buffer {
  return Buffer.concat([...labels.flatMap((l) => [Buffer.of(l.length), l]), Buffer.of(0)]);
}

/**
 * Reads the name at `offset` of a message, following compression pointers
 * (RFC 1035 §4.1.4) only backwards, so a loop cannot go on. Returns the name
 * in presentation form, as sent (case kept), and where the name ends in the
 * message; null when it runs past the end or breaks the rules.
 */
export function readName(msg: Buffer, offset: number): { name: string; end: number } | null {
  const labels: Buffer[] = [];
  let at = offset;
  let end = -1;
  let wire = 1;
  for (;;) {
    if (at >= msg.length) return null;
    const len = msg[at]!;
    if (len === 0) {
      if (end < 0) end = at + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= msg.length) return null;
      const target = ((len & 0x3f) << 8) | msg[at + 1]!;
      if (end < 0) end = at + 2;
      if (target >= at) return null;
      at = target;
      continue;
    }
    if ((len & 0xc0) !== 0 || at + 1 + len > msg.length) return null;
    wire += len + 1;
    if (wire > MAX_WIRE_NAME) return null;
    labels.push(msg.subarray(at + 1, at + 1 + len));
    at += 1 + len;
  }
  return { name: labels.length ? labels.map(escapeLabel).join('.') : '.', end };
}
