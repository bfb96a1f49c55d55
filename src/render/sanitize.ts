/**
 * The one terminal sanitiser. Every string that came from a message, a DNS
 * answer or a user-supplied knowledge base passes here before it is printed.
 *
 * Allow-list, and make tampering visible: keep "\n" and "\t", show every other
 * C0 control, DEL, C1 control, bidi control and zero-width or invisible format
 * character as a visible escape (`\x1b`, `\u202e`) rather than deleting it, so
 * an admin can see that the input tried something. strip-ansi is not a
 * security filter (it leaves DCS, 8-bit C1, BEL, BS, CR and bidi characters).
 */
// C0 except \t and \n, DEL, C1, soft hyphen, Arabic letter mark, Mongolian vowel separator,
// zero-width and bidi marks, line/paragraph separators, bidi embeddings and isolates,
// word joiner and invisible operators, interlinear annotations, BOM.
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function sanitize(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, visible);
}

/** True when the text holds a character the sanitiser would escape (CRLF line ends aside). */
export function hasUnsafeChars(text: string): boolean {
  return UNSAFE_TEST.test(text.replace(/\r\n/g, '\n'));
}

/**
 * JSON.stringify escapes U+0000-U+001F but emits DEL, C1 and bidi characters
 * raw, and `jq -r` would then print them. Escape those too.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
