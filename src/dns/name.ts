import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { UsageError } from '../core/errors.js';
import { escapeLabel, parseLabels, presentLabels } from './wire-name.js';

/** RFC 1035 §2.3.4: 63 octets per label, 255 octets on the wire = 253 characters in text. */
export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 253;

/**
 * Turns what a user typed as "the domain" into the name we ask DNS about:
 * `user@contoso.com`, `https://www.contoso.com/x`, `Contoso.COM.` and
 * `bücher.example` (→ `xn--bcher-kva.example`) are all accepted. Anything
 * that is not a multi-label domain name is a UsageError with one line saying why.
 */
export function normalizeDomain(input: string): string {
  const raw = input.trim();
  if (raw === '') throw new UsageError('no domain given: expected a domain such as contoso.com');
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  const host = hostPart(raw, shown);
  if (host === '') throw new UsageError(`no domain in "${shown}": expected a domain such as contoso.com`);
  if (/\s/.test(host)) throw new UsageError(`"${shown}" contains spaces: expected a domain such as contoso.com`);
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  if (isIP(bare) !== 0 || bare.startsWith('[')) {
    throw new UsageError(`"${shown}" is an IP address: expected a domain name such as contoso.com`);
  }
  // WHATWG/UTS #46 mapping, as browsers do; '' means the name is not valid (RFC 5891 via Node's URL parser).
  const ascii = domainToASCII(bare);
  if (ascii === '') throw new UsageError(`"${shown}" is not a valid domain name`);
  // domainToASCII also parses odd IPv4 forms ("0x7f.1" → "127.0.0.1").
  if (isIP(ascii) !== 0) throw new UsageError(`"${shown}" is an IP address: expected a domain name such as contoso.com`);
  const problem = nameProblem(ascii);
  if (problem !== null) throw new UsageError(`"${shown}" is not a valid domain name: ${problem}`);
  if (!ascii.includes('.')) {
    throw new UsageError(`"${shown}" has no dot: expected a full domain such as contoso.com`);
  }
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(ascii)) {
    throw new UsageError(`"${shown}" contains characters not allowed in a domain name`);
  }
  return ascii;
}

/** The host in an address, a URL or a bare name (no validation yet). */
function hostPart(raw: string, shown: string): string {
  let text = raw;
  if (/^mailto:/i.test(text)) text = text.slice('mailto:'.length);
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[^@\s]+\/[^\s]*$/.test(text)) {
    const withScheme = text.includes('://') ? text : `http://${text}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new UsageError(`"${shown}" is not a valid URL or domain name`);
    }
    return url.hostname;
  }
  const at = text.lastIndexOf('@');
  if (at !== -1) return text.slice(at + 1);
  return text;
}

/**
 * Why `ascii` cannot be put on the wire as a query name, or null. Used both
 * for user input and for names the checks pass to lookup().
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
