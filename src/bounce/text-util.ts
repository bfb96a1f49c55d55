/** Small text helpers shared by the bounce parsers: addresses, codes, folding. */

/**
 * An e-mail address in running text (RFC 5321 §4.1.2, loosely): a local part
 * without spaces or quotes, and a domain of dotted labels or an address literal.
 */
export const ADDRESS_SOURCE = String.raw`[\p{L}\p{N}._%+\-=~!#$&*\/?^{|}]{1,200}@(?:(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.){1,10}[\p{L}\p{N}-]{2,63}|\[[0-9A-Fa-f.:]{3,45}\])`;
/** ADDRESS_SOURCE for ASCII text, where \p{L}\p{N} is just A-Za-z0-9. */
const ASCII_ADDRESS_SOURCE = ADDRESS_SOURCE.replaceAll(String.raw`\p{L}\p{N}`, 'A-Za-z0-9');
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Which form of the address patterns a parse uses (see AddressPattern):
 * 'fit' the form each text needs, 'full' the full form for all text (a
 * batch: over many messages, compiling and warming up one pattern costs less
 * than two). Passed down by the caller, never set for the whole process.
 */
export type AddressForms = 'fit' | 'full';

/** ASCII characters an address can hold (ADDRESS_SOURCE's classes, "@", an address literal's), by code: a scan from an "@" crosses them. */
const ADDRESS_ASCII = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-=~!#$&*/?^{|}@[]:') ADDRESS_ASCII[c.charCodeAt(0)] = 1;
/**
 * How far a scan goes either side of an "@", in UTF-16 units: past the longest
 * address ADDRESS_SOURCE holds (a local part of 200 code points, a domain of
 * ten 64-character labels and a 63-character top label, each code point at
 * most two units).
 */
const ADDRESS_REACH = 1500;

/**
 * Whether the full address patterns can match `text` otherwise than the ASCII
 * ones: only where a character outside ASCII is part of a run of address
 * characters around an "@" (every address is such a run, and elsewhere the two
 * forms test the same characters alike, and the ASCII form's classes are
 * within the full one's, so its first match is the full form's). A scan from
 * each "@" to the first ASCII character no address holds, either side, which
 * counts any character outside ASCII as an address character (a Japanese
 * sentence after "user@example.jp " does not need the full form; "jörg@x.de"
 * does).
 */
export function nonAsciiAddressText(text: string): boolean {
  if (!NON_ASCII.test(text)) return false;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    for (const step of [-1, 1]) {
      for (let i = at + step, n = 0; i >= 0 && i < text.length && n < ADDRESS_REACH; i += step, n++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) return true;
        if (!ADDRESS_ASCII[c]) break;
      }
    }
  }
  return false;
}

/**
 * A pattern that holds an address, in the form the text needs. \p{L} and
 * \p{N} are costly to compile (V8 builds their ranges anew for every
 * pattern: the address patterns took ~7 ms of one bounce's start-up), and
 * nearly all bounce text is ASCII, where they mean A-Za-z0-9. So text whose
 * addresses are ASCII (nonAsciiAddressText) gets a pattern with those classes,
 * other text the full one, built when first asked for; on such text the two
 * match alike
 * (test/bounce/text.test.ts compares them). Once the full one exists it
 * serves all text, and a batch asks for the full ones from the start
 * (AddressForms 'full'): over many messages, compiling and warming up one
 * pattern costs less than two.
 */
export class AddressPattern {
  private ascii: RegExp | null = null;
  private unicode: RegExp | null = null;

  /** `build` makes the pattern's source around the address source it is given. */
  constructor(
    private readonly build: (address: string) => string,
    private readonly flags: string,
  ) {}

  /** The pattern to use on `text`. */
  for(text: string, forms: AddressForms): RegExp {
    if (this.unicode) return this.unicode;
    if (forms === 'full' || nonAsciiAddressText(text)) return (this.unicode = new RegExp(this.build(ADDRESS_SOURCE), this.flags));
    return (this.ascii ??= new RegExp(this.build(ASCII_ADDRESS_SOURCE), this.flags));
  }

  /** Both forms, for tests. */
  forms(): [RegExp, RegExp] {
    return [new RegExp(this.build(ASCII_ADDRESS_SOURCE), this.flags), new RegExp(this.build(ADDRESS_SOURCE), this.flags)];
  }
}

export const ADDRESS = new AddressPattern((a) => a, 'u');
export const ADDRESS_G = new AddressPattern((a) => a, 'gu');
export const BARE_ADDRESS = new AddressPattern((a) => `^${a}$`, 'u');

/**
 * A pattern source matching its ASCII letters in either case, for patterns
 * that hold ADDRESS_SOURCE: with the "i" flag, V8 works out the case closure
 * of its \p{L} classes when it compiles the pattern, which costs milliseconds
 * a pattern at start-up; \p{L} needs no closure, only the literal words do.
 * Escapes ("\s") and character classes are copied as they are.
 */
export function caseless(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (c === '[') {
      const end = source.indexOf(']', i + 2);
      out += source.slice(i, end + 1);
      i = end;
    } else if (/[a-z]/i.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += c;
  }
  return out;
}

export function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Trims punctuation that running text puts around an address. */
export function cleanAddress(raw: string): string {
  let a = raw.replace(/^[<("'[]+|[>)"'\].,;:]+$/g, '').replace(/^mailto:/i, '');
  // A file path in front of an address ("/home/u/.forward/user@example.com") is not part of it.
  if (/^[/|]/.test(a)) a = a.slice(a.lastIndexOf('/', a.indexOf('@')) + 1).replace(/^\|/, '');
  return a;
}

/** A deliverable address: a local part and a dotted domain (or an address literal), no source route. */
export function isRoutableAddress(address: string | null): boolean {
  return !!address && /^[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+$|^[^@\s]+@\[[^\]]+\]$/.test(address) && !address.startsWith('@');
}

export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export interface CodeHit {
  /** Enhanced status code, normalised ("5.01.001" -> "5.1.1"), or null for a lone reply code. */
  status: string | null;
  replyCode: string | null;
  /** Offset in the scanned text. */
  index: number;
  /** True when a reply code stands right before the enhanced code ("550 5.1.1"): the server's own words. */
  paired: boolean;
  /**
   * True when the code stands where codes stand: as a server reply (paired, at the start of a
   * line or diagnostic, after "said:", "smtp;", "#", a quote or a bracket), or as a field value
   * ("Status: 5.1.1", "dsn=5.1.1"). False for a dotted number in running words ("release 5.1.0"):
   * such a code counts only where the text has no standing one (see chooseStatus).
   */
  stands: boolean;
}

// A code must not be part of a longer dotted number (an IP address, a version, a date).
// RFC 3463 §4 subjects are 0-7 in practice; "Exim 4.97.1" is a version, not a code.
const ENHANCED = /(?<![\d.])([245])\.(0{0,2}[0-7])\.(\d{1,3})(?!\d|\.\d)/g;
// What may stand between a reply code and its enhanced code: "550 5.1.1", "550-5.1.1", "550 #5.1.1", "550-'5.7.1", "#550 5.1.1".
const REPLY_BEFORE = /(?:^|[^\d.])([245]\d\d)(?:[ -]|-'|[ -]#|\s\(#?|\s'|[ ]?\[)$/;
// A reply code alone where a server reply starts.
const REPLY_ALONE = /(?:^|\n|;|'|"|#|<|\(|:\s|said:\s|returned:?\s|>>>\s|<<<\s|\s)([245][0-5]\d)(?=[ -](?:[A-Za-z<#([{'"]|$)|$|\n)/g;

// What may stand right before a code that is one: nothing (a line or diagnostic starts with it),
// "#" (qmail "(#5.1.1)", Exchange "#5.1.1 smtp;550 ..."), a bracket or quote, "smtp;", "dsn=",
// a label's colon ("Status: 5.1.1", "Error: 5.7.1"), "said" / "returned", a transcript's ">>>",
// a list's dash or bullet ("-- 5.4.1 Recipient address rejected").
const STANDS_AFTER = /(?:^|[#([<{'"`;=:>\-*\u2022\u2018\u201c]|\bsaid|\breturned|\breplied|\bstatus|\bcode|\berror|\breason)\s*#?$/i;
// A dotted number glued to a name or a suffix is a version: "mxl_mta-5.5.0-3", "v2.3.0", "2.1.12rc2".
// ASCII only: Japanese and Chinese text writes a code right after or before its words ("宛先不明5.1.1").
const GLUED_BEFORE = /[A-Za-z_\-/\\]$/;
const GLUED_AFTER = /^(?:[A-Za-z_]|[-+~]\d)/;
// ... and so is one named a version, or a product's in brackets: "release 5.0.8", "(IMail 5.0.5)".
const VERSION_WORD = /\b(?:version|ver|release|rel|build|revision|rev|patch|update)\.?:?\s+$/i;
const PRODUCT_IN_BRACKETS = /\([A-Za-z][\w.-]{0,30}(?: [A-Za-z][\w.-]{0,30})?\s+$/;
const LINE_WINDOW = 200;
// Header fields of a quoted message where dotted numbers are versions, hosts or ids, never a
// failure's code ("Received: ... mxl_mta-5.5.0-3", "X-Mailman-Version: 2.1.12rc2", "Subject: wxPython 2.3.0").
const NOT_A_CODE_FIELD =
  /^[ \t>]*(?:received|x-received|subject|thread-topic|x-mailer|user-agent|x-[\w-]*version|x-[\w-]*agent|message-id|in-reply-to|references|date|mime-version|content-[\w-]+|dkim-signature|x-google-dkim-signature|arc-[\w-]+|authentication-results|received-spf|x-ms-[\w-]+|x-microsoft-[\w-]+|x-forefront-[\w-]+|x-originating-ip|list-[\w-]+)\s*:/i;

/**
 * Every enhanced status code in the text, with the reply code before it. Dotted numbers that
 * are versions (glued to a name or suffix, or in a header field that holds versions) are left out;
 * the others say whether they stand where codes stand (CodeHit.stands).
 */
export function findCodes(text: string): CodeHit[] {
  const hits: CodeHit[] = [];
  for (const m of text.matchAll(ENHANCED)) {
    const at = m.index!;
    const before = REPLY_BEFORE.exec(text.slice(Math.max(0, at - 8), at));
    // The line's start, looked for in a bounded window only: a search back to it from every code
    // would be quadratic on a long line of codes. A field name stands within 80 characters of it.
    const window = Math.max(0, at - LINE_WINDOW);
    let lineStart = window === 0 ? 0 : -1;
    for (let i = at - 1; i >= window; i--) {
      if (text.charCodeAt(i) === 10) {
        lineStart = i + 1;
        break;
      }
    }
    if (!before) {
      const end = at + m[0].length;
      if (GLUED_BEFORE.test(text.slice(Math.max(lineStart, at - 2), at)) || GLUED_AFTER.test(text.slice(end, end + 2))) continue;
      if (lineStart >= 0 && NOT_A_CODE_FIELD.test(text.slice(lineStart, Math.min(at, lineStart + 80)))) continue;
    }
    const lead = text.slice(Math.max(lineStart, at - 64), at);
    const stands = !!before || STANDS_AFTER.test(lead.slice(-24));
    if (!before && (VERSION_WORD.test(lead.slice(-24)) || (!stands && lead.includes('(') && PRODUCT_IN_BRACKETS.test(lead)))) continue;
    hits.push({
      status: `${m[1]}.${Number(m[2])}.${Number(m[3])}`,
      replyCode: before ? before[1]! : null,
      index: at,
      paired: !!before,
      stands,
    });
  }
  return hits;
}

/** Lone SMTP reply codes ("550 Requested action not taken"), for text without enhanced codes. */
export function findReplyCodes(text: string): CodeHit[] {
  const hits: CodeHit[] = [];
  for (const m of text.matchAll(REPLY_ALONE)) {
    const at = m.index! + m[0].length - 3;
    hits.push({ status: null, replyCode: m[1]!, index: at, paired: false, stands: true });
  }
  return hits;
}

/** RFC 3463: X.0.0 says only "permanent" or "temporary", nothing about the cause. */
export function isGenericStatus(status: string): boolean {
  return /^\d\.0\.0$/.test(status);
}

/** X.4.7: delivery time expired — the server gave up; the reason is in the earlier attempts. */
export function isExpiryStatus(status: string): boolean {
  return /^\d\.4\.7$/.test(status);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phrase from a data table as a pattern: case-insensitive, any white space, either apostrophe. */
export function phrasePattern(phrase: string): string {
  return escapeRegExp(phrase)
    .replace(/\s+/g, String.raw`\s+`)
    .replace(/'/g, `['\u2019]`);
}
