import { domainToASCII } from 'node:url';
import { escapeLabel, parseLabels, presentLabels } from './wire-name.js';

/** RFC 1035 §2.3.4: 63 octets per label, 255 octets on the wire = 253 characters in text. */
export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 253;

/**
 * Why `ascii` cannot be put on the wire as a query name, or null. Used both
 * for user input (src/domain/name.ts) and for names the checks pass to lookup().
 */
export function nameProblem(ascii: string): string | null {
  if (ascii.length > 4 * MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} characters`;
  // Names from DNS answers come in presentation form, where a label may hold
  // an escaped dot (wire-name.ts); lengths count the octets on the wire.
  const parsed = parseLabels(ascii);
  if ('problem' in parsed) return parsed.problem;
  // dns-packet used to write such names corrupted; we could send them, but they are no host's name.
  if (parsed.labels.some((l) => l.some((o) => o < 0x21 || o > 0x7e))) return 'contains spaces, control or non-ASCII characters';
  const long = parsed.labels.find((l) => l.length > MAX_LABEL_LENGTH);
  if (long !== undefined) return `label "${escapeLabel(long).slice(0, 20)}..." is longer than ${MAX_LABEL_LENGTH} characters`;
  if (parsed.labels.reduce((n, l) => n + l.length + 1, 0) - 1 > MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} characters`;
  return null;
}

/**
 * The query name for lookup(): lower-case A-labels, no trailing dot.
 * Returns a reason instead of throwing, because lookups report problems as
 * a LookupResult with status 'error'.
 */
export function toQueryName(name: string): { name: string } | { problem: string } {
  let text = name.trim();
  // A trailing dot ends the name unless it is escaped (`a\.` is one label "a.").
  if (text.endsWith('.') && text !== '.' && !/(?:^|[^\\])(?:\\\\)*\\\.$/.test(text)) text = text.slice(0, -1);
  if (text === '' || text === '.') return { problem: 'empty name' };
  let ascii = text.toLowerCase();
  if (/[^\x00-\x7f]/.test(ascii)) {
    ascii = domainToASCII(text);
    if (ascii === '') return { problem: `"${text}" cannot be converted to an A-label name` };
  }
  const problem = nameProblem(ascii);
  if (problem !== null) return { problem: `"${text.slice(0, 80)}": ${problem}` };
  // One spelling per name, so that answers can be matched to it (\065 and A are the same octet).
  const parsed = parseLabels(ascii);
  return { name: 'labels' in parsed ? presentLabels(parsed.labels) : ascii };
}
