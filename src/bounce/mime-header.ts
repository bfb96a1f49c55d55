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

/** Splits a header block into fields; lines before the first field and lines without a colon are skipped. */
export function parseHeaderFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  let current: { name: string; parts: string[] } | null = null;
  const push = () => {
    if (current) fields.push({ name: current.name, value: current.parts.join(' ').trim() });
  };
  for (const raw of block.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (current) current.parts.push(line.trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    push();
    current = { name: line.slice(0, colon).trim().toLowerCase(), parts: [line.slice(colon + 1).trim()] };
  }
  push();
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
    // RFC 2231: name*=charset'lang'%XX, name*0=..., name*1*=...
    const m = /^([^*]+)\*(?:(\d{1,3})\*?)?$/.exec(key);
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
