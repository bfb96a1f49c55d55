/**
 * Header fields of a message or part: unfolding (RFC 5322 §2.2.3), the
 * "type/subtype; name=value" fields of MIME (RFC 2045 §5.1, with RFC 2231
 * continuations and charsets) and address lists (RFC 5322 §3.4). Pure.
 */
import { decodeCharset, decodeWords } from './mime-decode.js';

export interface HeaderField {
  /** Lower-case name. */
  name: string;
  /** Unfolded, trimmed, not decoded. */
  value: string;
}

/**
 * Splits a header block into fields; lines before the first field and lines without a colon are
 * skipped. A field's value is its first line's value and its continuation lines, each trimmed,
 * joined by a space and trimmed. One pass over the block with indexOf, no array of lines: this
 * runs on every header block of every message.
 */
export function parseHeaderFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  let name: string | null = null;
  let value = '';
  // The first ":" at or after the current line's start (block.length when there is none): found
  // once for the lines it is beyond, so that lines without a colon do not scan the rest each.
  let colon = -1;
  for (let pos = 0; pos <= block.length;) {
    let end = block.indexOf('\n', pos);
    if (end < 0) end = block.length;
    const lineEnd = end > pos && block.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const first = block.charCodeAt(pos);
    if (pos < lineEnd && (first === 0x20 || first === 0x09)) {
      if (name !== null) value += ` ${block.slice(pos, lineEnd).trim()}`;
    } else {
      if (colon < pos) {
        colon = block.indexOf(':', pos);
        if (colon < 0) colon = block.length;
      }
      if (colon > pos && colon < lineEnd) {
        if (name !== null) fields.push({ name, value: value.trim() });
        name = block.slice(pos, colon).trim().toLowerCase();
        value = block.slice(colon + 1, lineEnd).trim();
      }
    }
    pos = end + 1;
  }
  if (name !== null) fields.push({ name, value: value.trim() });
  return fields;
}

/** Removes (comments), keeping quoted strings intact. */
function stripComments(value: string): string {
  if (!value.includes('(')) return value;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && (quoted || depth) && i + 1 < value.length) {
      if (!depth) out += c + value[i + 1];
      i++;
      continue;
    }
    if (!depth && c === '"') quoted = !quoted;
    if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && depth) depth--;
    else if (!depth) out += c;
  }
  return out;
}

/** Splits on a separator outside quoted strings. */
function splitOutsideQuotes(value: string, sep: string): string[] {
  if (!value.includes('"')) return value.split(sep);
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}

export interface StructuredValue {
  /** Lower-case "type/subtype" (or disposition type), '' when absent. */
  value: string;
  /** Lower-case parameter names; values decoded (RFC 2231, RFC 2047). */
  params: Record<string, string>;
}

/** Content-Type / Content-Disposition. */
export function parseStructured(raw: string): StructuredValue {
  const [head, ...rest] = splitOutsideQuotes(stripComments(raw), ';');
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const continued = new Map<string, { charset: string | null; pieces: { n: number; text: string; encoded: boolean }[] }>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const value = unquote(p.slice(eq + 1));
    // RFC 2231: name*=charset'lang'%XX, name*0=..., name*1*=... (a key without "*" is none of them).
    const m = key.includes('*') ? /^([^*]+)\*(?:(\d{1,3})\*?)?$/.exec(key) : null;
    if (!m) {
      params[key] = decodeWords(value);
      continue;
    }
    const name = m[1]!;
    const n = m[2] === undefined ? 0 : Number(m[2]);
    const encoded = key.endsWith('*');
    let entry = continued.get(name);
    if (!entry) continued.set(name, (entry = { charset: null, pieces: [] }));
    let text = value;
    if (encoded && n === 0) {
      const parts = /^([^']*)'[^']*'(.*)$/.exec(value);
      if (parts) {
        entry.charset = parts[1] || null;
        text = parts[2]!;
      }
    }
    entry.pieces.push({ n, text, encoded });
  }
  for (const [name, entry] of continued) {
    entry.pieces.sort((a, b) => a.n - b.n);
    const bytes: number[] = [];
    for (const piece of entry.pieces) {
      const src = piece.encoded
        ? piece.text.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
        : piece.text;
      for (let i = 0; i < src.length; i++) bytes.push(src.charCodeAt(i) & 0xff);
    }
    const buf = Buffer.from(bytes);
    params[name] = decodeCharset(buf, entry.charset ?? 'utf-8') ?? buf.toString('utf8');
  }
  return { value: head!.trim().toLowerCase(), params };
}

/** The addresses of an address-list header value ("Name <a@b>, c@d, group: e@f;"). */
export function parseAddresses(raw: string): string[] {
  const out: string[] = [];
  const value = stripComments(raw);
  for (let item of splitOutsideQuotes(value.replace(/;/g, ','), ',')) {
    // A group's display name: "undisclosed-recipients:" or "team: a@b".
    if (item.includes(':') && !item.includes('<')) {
      const colon = splitOutsideQuotes(item, ':');
      if (colon.length > 1) item = colon.slice(1).join(':');
    }
    const angle = /<([^<>]*)>\s*$/.exec(item) ?? /<([^<>]*)>/.exec(item);
    let address = angle ? angle[1]!.trim() : '';
    if (!angle) {
      const words = item
        .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
        .trim()
        .split(/\s+/);
      // A bare word is a display name (as "MAILER-DAEMON"), not an address.
      address = words.find((w) => w.includes('@')) ?? '';
    }
    address = address.replace(/^mailto:/i, '');
    if (address) out.push(decodeWords(address));
  }
  return out;
}
