import { domainToASCII } from 'node:url';

/** RFC 1123 §2.1 host name label: letters, digits and inner hyphens, at most 63 octets. */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The lower-case A-label host name for `text` (a domain, possibly with
 * U-labels or a trailing dot), or null unless it is a valid multi-label host
 * name of letters, digits and hyphens (RFC 1123 §2.1, RFC 5890 A-labels).
 * Whatever this returns can be printed in a shell command without quoting.
 */
export function toHostname(text: string): string | null {
  let name = text.trim();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.length > 253 || /[\s/\\@:%?#[\]]/.test(name)) return null;
  // UTS #46 mapping as browsers do ('' when invalid); leaves ASCII names lower-cased.
  const ascii = /[^\x21-\x7e]/.test(name) ? domainToASCII(name) : name.toLowerCase();
  if (ascii === '' || ascii.length > 253) return null;
  // IP literals need no test of their own (node:net's isIP would load the net module on every
  // start): an IPv6 address has colons, which no label may hold, and an IPv4 address ends in
  // an all-digit label, which no top-level domain is.
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LDH_LABEL.test(l))) return null;
  // The top-level label is never all digits (RFC 3696 §2), which also keeps "1.2.3.4"-like names out.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}

/** Same name? Case-insensitive, trailing dot ignored. */
export function sameName(a: string, b: string): boolean {
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

export function stripDot(name: string): string {
  return name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
}

/** `a.b.contoso.com` -> [`b.contoso.com`, `contoso.com`]: the ancestors with at least two labels. */
export function parentDomains(domain: string): string[] {
  const labels = stripDot(domain).split('.');
  const out: string[] = [];
  for (let i = 1; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
