/**
 * A cheap linear pre-scan of the MIME structure, run before the real parser,
 * so that hostile nesting and oversized header blocks are refused with a
 * clear error instead of costing time and memory.
 */

export interface StructureStats {
  /** Deepest nesting of multipart and message/rfc822 containers (the top level is 0). */
  depth: number;
  /** Largest header block, in bytes (of the top-level message or any part). */
  largestHeaderBlock: number;
  /** Most header fields in one header block (continuation lines not counted). */
  mostHeaderFields: number;
  parts: number;
}

const CONTENT_TYPE = /^content-type:\s*([^;\s]+)(.*)$/is;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))/i;

interface Frame {
  boundary: string | null;
}

/** Measures nesting depth and header sizes; stops early once `maxDepth` is passed. */
export function measureStructure(text: string, maxDepth: number): StructureStats {
  const stack: Frame[] = [];
  let depth = 0;
  let largest = 0;
  let parts = 1;
  let inHeader = true;
  let headerBytes = 0;
  let headerFields = 0;
  let mostFields = 0;
  let contentType = '';
  let lastWasCt = false;
  let pos = 0;
  while (pos <= text.length) {
    if (!inHeader) {
      // In a body only delimiter lines matter: skip to the next line that starts with "--", if any can match.
      if (!stack.some((f) => f.boundary !== null)) break;
      if (text.charCodeAt(pos) !== 0x2d || text.charCodeAt(pos + 1) !== 0x2d) {
        const dashes = text.indexOf('\n--', pos);
        if (dashes < 0) break;
        pos = dashes + 1;
      }
    }
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const raw = text.slice(pos, end);
    pos = end + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;

    if (inHeader) {
      if (line === '' || pos > text.length) {
        largest = Math.max(largest, headerBytes);
        mostFields = Math.max(mostFields, headerFields);
        inHeader = false;
        const m = CONTENT_TYPE.exec(contentType);
        const type = m ? m[1]!.toLowerCase() : '';
        if (type.startsWith('multipart/')) {
          const b = BOUNDARY.exec(m![2]!);
          if (b) stack.push({ boundary: b[1] ?? b[2]! });
        } else if (type === 'message/rfc822' || type === 'message/global') {
          stack.push({ boundary: null });
          inHeader = true;
        }
        depth = Math.max(depth, stack.length);
        if (depth > maxDepth) break;
        headerBytes = 0;
        headerFields = 0;
        contentType = '';
        lastWasCt = false;
        continue;
      }
      headerBytes += raw.length + 1;
      if (/^[ \t]/.test(line)) {
        if (lastWasCt && contentType.length < 2000) contentType += ` ${line.trim()}`;
      } else {
        headerFields++;
        lastWasCt = /^content-type:/i.test(line);
        if (lastWasCt) contentType = line;
      }
      continue;
    }

    if (line.startsWith('--') && stack.length) {
      const trimmed = line.trimEnd();
      for (let i = stack.length - 1; i >= 0; i--) {
        const b = stack[i]!.boundary;
        if (b === null) continue;
        if (trimmed === `--${b}--`) {
          stack.length = i;
          break;
        }
        if (trimmed === `--${b}`) {
          stack.length = i + 1;
          inHeader = true;
          parts++;
          break;
        }
      }
    }
  }
  return { depth, largestHeaderBlock: largest, mostHeaderFields: mostFields, parts };
}
