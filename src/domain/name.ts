/**
 * Domain names as people and mail give them: one rule for what counts as a
 * domain (check-mx's argument, the wizard's domain prompt, the domain ndr
 * explain suggests checking), IDN to A-labels, and the domain of an address.
 * Pure: no I/O, and no node:net (it would load on every `ndr explain` start),
 * so IP literals are recognised here without it.
 */
import { domainToASCII } from 'node:url';
import { UsageError } from '../core/errors.js';
import { nameProblem } from '../dns/name.js';

/** What a typed domain came to: the name to ask DNS about, or one line saying why it is none. */
export type ParsedDomain = { domain: string } | { problem: string };

const EXAMPLE = 'expected a domain such as contoso.com';

/**
 * What a user typed as "the domain", turned into the name we ask DNS about:
 * `user@contoso.com`, `https://www.contoso.com/x`, `Contoso.COM.` and
 * `bücher.example` (→ `xn--bcher-kva.example`) are all accepted. Anything
 * that is not a multi-label domain name (an IP address such as `1.2.3.4` or
 * `0x7f.1`, one label, bad characters) gives a problem instead.
 */
export function parseDomain(input: string): ParsedDomain {
  const raw = input.trim();
  if (raw === '') return { problem: `no domain given: ${EXAMPLE}` };
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  const host = hostPart(raw);
  if (host === null) return { problem: `"${shown}" is not a valid URL or domain name` };
  if (host === '') return { problem: `no domain in "${shown}": ${EXAMPLE}` };
  if (/\s/.test(host)) return { problem: `"${shown}" contains spaces: ${EXAMPLE}` };
  return bareDomain(host, shown);
}

/** The rule for a name without address or URL around it. */
function bareDomain(host: string, shown: string): ParsedDomain {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  const ipAddress = { problem: `"${shown}" is an IP address: expected a domain name such as contoso.com` };
  if (bare.startsWith('[') || isIPv6(bare)) return ipAddress;
  // WHATWG/UTS #46 mapping, as browsers do; '' means the name is not valid (RFC 5891 via Node's URL parser).
  const ascii = domainToASCII(bare);
  if (ascii === '') return { problem: `"${shown}" is not a valid domain name` };
  // domainToASCII also parses odd IPv4 forms ("0x7f.1" → "127.0.0.1") and writes them as four decimals.
  if (IPV4.test(ascii)) return ipAddress;
  const problem = nameProblem(ascii);
  if (problem !== null) return { problem: `"${shown}" is not a valid domain name: ${problem}` };
  if (!ascii.includes('.')) return { problem: `"${shown}" has no dot: expected a full domain such as contoso.com` };
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(ascii)) return { problem: `"${shown}" contains characters not allowed in a domain name` };
  return { domain: ascii };
}

/** An IPv4 address as domainToASCII writes every form of it. */
const IPV4 = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

/** An IPv6 address (with an optional zone, "fe80::1%eth0"), as node:net's isIP says, by the URL parser. */
function isIPv6(text: string): boolean {
  const address = text.replace(/%[^%]+$/, '');
  if (!address.includes(':')) return false;
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

/** The host in an address, a URL or a bare name (not validated yet); null for a URL that does not parse. */
function hostPart(raw: string): string | null {
  let text = raw;
  if (/^mailto:/i.test(text)) text = text.slice('mailto:'.length);
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[^@\s]+\/[^\s]*$/.test(text)) {
    const withScheme = text.includes('://') ? text : `http://${text}`;
    try {
      return new URL(withScheme).hostname;
    } catch {
      return null;
    }
  }
  const at = text.lastIndexOf('@');
  return at === -1 ? text : text.slice(at + 1);
}

/**
 * The domain of an e-mail address as mail gives it (`user@contoso.com`,
 * `<User@Contoso.COM>`, `Jane <jane@contoso.com>`): what follows the last
 * "@", without the closing angle bracket; null without an "@". Not
 * validated: parseDomain or toHostname say whether it is a domain.
 */
export function domainOfAddress(address: string | null | undefined): string | null {
  const text = address?.trim().replace(/>$/, '');
  const at = text?.lastIndexOf('@') ?? -1;
  return at < 0 ? null : text!.slice(at + 1).trim();
}

/** RFC 1123 §2.1 host name label: letters, digits and inner hyphens, at most 63 octets. */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The domain `text` names (a bare name, possibly with U-labels or a trailing
 * dot), or null: parseDomain's rule, and further only letters, digits and
 * inner hyphens (RFC 1123 §2.1, RFC 5890 A-labels), with a top-level label
 * that is not all digits (RFC 3696 §2). Whatever this returns is a name
 * check-mx accepts and can be printed in a shell command without quoting.
 */
export function toHostname(text: string): string | null {
  const name = text.trim();
  if (name === '' || /[\s/\\@:%?#[\]]/.test(name)) return null;
  const parsed = bareDomain(name, name);
  if ('problem' in parsed) return null;
  const labels = parsed.domain.split('.');
  if (!labels.every((l) => LDH_LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return parsed.domain;
}

/** parseDomain for a command-line argument: the domain, or a UsageError with the one line saying why not. */
export function normalizeDomain(input: string): string {
  const parsed = parseDomain(input);
  if ('problem' in parsed) throw new UsageError(parsed.problem);
  return parsed.domain;
}
