/**
 * Splits a message into its MIME tree in one pass over the lines (RFC 2046
 * §5.1): header blocks, multipart delimiters (of the innermost open multipart
 * or any ancestor, with trailing white space allowed), leaf bodies. Embedded
 * messages (message/rfc822) stay one leaf: the bounce parser reads their
 * headers itself. Bodies are views into the input, not copies. Pure.
 */
import { parseHeaderFields, parseStructured, type HeaderField, type StructuredValue } from './mime-header.js';

export interface MimeNode {
  headers: HeaderField[];
  /** Lower-case media type; '' when the part has no Content-Type. */
  type: string;
  params: Record<string, string>;
  /** Lower-case Content-Disposition type, '' when absent. */
  disposition: string;
  /** Lower-case Content-Transfer-Encoding, '' when absent. */
  encoding: string;
  /** The raw (still transfer-encoded) body of a leaf. */
  body: Buffer;
  children: MimeNode[];
  /** Inside a multipart/alternative. */
  inAlternative: boolean;
}

interface Container {
  node: MimeNode;
  boundary: string;
  /** After the closing delimiter: its own delimiters are epilogue now. */
  closed: boolean;
}

function header(fields: HeaderField[], name: string): string | undefined {
  return fields.find((f) => f.name === name)?.value;
}

function makeNode(buf: Buffer, headerStart: number, headerEnd: number, inAlternative: boolean): MimeNode {
  const headers = parseHeaderFields(buf.toString('utf8', headerStart, headerEnd));
  const ct: StructuredValue = parseStructured(header(headers, 'content-type') ?? '');
  const cd = header(headers, 'content-disposition');
  return {
    headers,
    type: ct.value,
    params: ct.params,
    disposition: cd === undefined ? '' : parseStructured(cd).value,
    encoding: (header(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase(),
    body: buf.subarray(0, 0),
    children: [],
    inAlternative,
  };
}

/** Which open container a delimiter line belongs to, and whether it closes it. */
function delimiter(text: string, start: number, end: number, stack: Container[]): { at: number; close: boolean } | null {
  if (text.charCodeAt(start) !== 0x2d || text.charCodeAt(start + 1) !== 0x2d) return null;
  let stop = end;
  while (stop > start && (text.charCodeAt(stop - 1) === 0x20 || text.charCodeAt(stop - 1) === 0x09 || text.charCodeAt(stop - 1) === 0x0d))
    stop--;
  for (let i = stack.length - 1; i >= 0; i--) {
    const c = stack[i]!;
    if (c.closed && i === stack.length - 1) continue;
    const b = c.boundary;
    const len = stop - start - 2;
    if (len !== b.length && len !== b.length + 2) continue;
    if (!text.startsWith(b, start + 2)) continue;
    if (len === b.length) return { at: i, close: false };
    if (text.charCodeAt(stop - 1) === 0x2d && text.charCodeAt(stop - 2) === 0x2d) return { at: i, close: true };
  }
  return null;
}

/**
 * Parses the tree. `text` is `buf` as latin1 (one char per byte), so that
 * positions found in it are byte positions.
 */
export function parseMimeTree(buf: Buffer, text: string = buf.toString('latin1')): MimeNode {
  const stack: Container[] = [];
  const st: {
    root: MimeNode | null;
    /** The header block being read: where it started and the container it belongs to. */
    header: { start: number; parent: Container | null } | null;
    /** The leaf whose body is being read, and where the body started. */
    leaf: { node: MimeNode; start: number } | null;
  } = { root: null, header: { start: 0, parent: null }, leaf: null };

  const endHeader = (header: { start: number; parent: Container | null }, end: number, bodyStart: number) => {
    const parent = header.parent;
    const node = makeNode(buf, header.start, end, !!parent && (parent.node.inAlternative || parent.node.type === 'multipart/alternative'));
    st.header = null;
    if (parent) parent.node.children.push(node);
    else st.root = node;
    const boundary = node.type.startsWith('multipart/') ? node.params['boundary'] : undefined;
    if (boundary) stack.push({ node, boundary, closed: false });
    else st.leaf = { node, start: bodyStart };
  };

  let pos = 0;
  while (pos < text.length) {
    if (!st.header) {
      // In a body only delimiter lines matter: a single part's body runs to the end,
      // a multipart's to the next line that starts with "--".
      if (!stack.length) break;
      if (text.charCodeAt(pos) !== 0x2d || text.charCodeAt(pos + 1) !== 0x2d) {
        const dashes = text.indexOf('\n--', pos);
        if (dashes < 0) break;
        pos = dashes + 1;
      }
    }
    let end = text.indexOf('\n', pos);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;

    const d = stack.length ? delimiter(text, pos, lineEnd, stack) : null;
    if (d) {
      if (st.header) endHeader(st.header, pos, pos); // a part that is only a header block
      if (st.leaf) {
        // The line break in front of a delimiter belongs to the delimiter.
        const start = st.leaf.start;
        let bodyEnd = pos;
        if (bodyEnd > start && text.charCodeAt(bodyEnd - 1) === 0x0a) bodyEnd--;
        if (bodyEnd > start && text.charCodeAt(bodyEnd - 1) === 0x0d) bodyEnd--;
        st.leaf.node.body = buf.subarray(start, Math.max(start, bodyEnd));
        st.leaf = null;
      }
      stack.length = d.at + 1;
      const owner = stack[d.at]!;
      owner.closed = d.close;
      st.header = d.close ? null : { start: next, parent: owner };
    } else if (st.header && lineEnd === pos) {
      endHeader(st.header, pos, next);
    }
    pos = next;
  }
  if (st.header) endHeader(st.header, text.length, text.length);
  if (st.leaf) st.leaf.node.body = buf.subarray(st.leaf.start);
  return st.root!;
}
