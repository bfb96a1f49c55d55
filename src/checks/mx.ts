import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { stripDot } from './domain.js';
import type { CheckStatus } from './types.js';

/**
 * Exchange Online MX host names (dns-facts §1.1-1.3):
 *   <key>.mail.protection.outlook.com      the classic form
 *   <key>.<c>-v1.mx.microsoft              the DNSSEC-capable form (2024+)
 * Microsoft does not publish how <key> is made; its examples replace every
 * dot by a dash (contoso.com -> contoso-com), and for names that already hold
 * hyphens it drops them and appends a short suffix (octo-bot.io -> octobot-io01b).
 */
export const EXO_CLASSIC_SUFFIX = '.mail.protection.outlook.com';
export const EXO_MX_MICROSOFT_SUFFIX = '.mx.microsoft';

/** Old names Microsoft asks admins to delete (FOPE/early EOP, Microsoft Cloud Deutschland). */
const LEGACY_SUFFIXES = ['.mail.eo.outlook.com', '.mail.protection.outlook.de'];

/** Observed disambiguating suffixes: 01b, 01c, 03i, 01be2e. */
const KEY_SUFFIX = /^[0-9]{2}[a-z0-9]{1,6}$/;

export type ExchangeOnlineForm = 'mail.protection.outlook.com' | 'mx.microsoft';

export type MxHostClass =
  /** `MX 0 .`: the domain accepts no mail (RFC 7505). */
  | { kind: 'null' }
  /** An address where a host name belongs (RFC 1035 §3.3.9: the exchange is a domain name). */
  | { kind: 'ip-literal' }
  | {
      kind: 'exchange-online';
      form: ExchangeOnlineForm;
      /** The first label: Microsoft's key for the domain. */
      key: string;
      /** Whether the key was made from this domain; 'unknown' for names too long to map 1:1. */
      owner: 'this-domain' | 'other-domain' | 'unknown';
    }
  | { kind: 'exchange-online-legacy'; suffix: string }
  /** A label holds a dot or another octet no host name has: shown escaped, `a\\.b` (RFC 4343 §2.1). */
  | { kind: 'not-a-host' }
  | { kind: 'other' };

function toAscii(domain: string): string {
  const bare = stripDot(domain.trim());
  return /[^\x21-\x7e]/.test(bare) ? domainToASCII(bare) || bare.toLowerCase() : bare.toLowerCase();
}

/** The usual Exchange Online key of a domain: `contoso.com` -> `contoso-com`, `octo-bot.io` -> `octobot-io`. */
export function exchangeOnlineKey(domain: string): string {
  return exchangeOnlineKeys(domain)[0]!;
}

/**
 * Every base key we accept for a domain: dots as dashes with the domain's own
 * hyphens dropped (what Microsoft does today) and kept (older tenants and
 * IDN A-labels, whose "xn--" is itself hyphenated).
 */
export function exchangeOnlineKeys(domain: string): string[] {
  const labels = toAscii(domain).split('.');
  const dropped = labels.map((l) => l.replace(/-/g, '')).join('-');
  const kept = labels.join('-');
  return dropped === kept ? [kept] : [dropped, kept];
}

/** Does the key label (first label of the MX host) belong to this domain? */
export function keyOwner(label: string, domain: string): 'this-domain' | 'other-domain' | 'unknown' {
  const key = label.toLowerCase();
  const bases = exchangeOnlineKeys(domain);
  for (const base of bases) {
    if (key === base) return 'this-domain';
    if (key.startsWith(base) && KEY_SUFFIX.test(key.slice(base.length))) return 'this-domain';
  }
  // A label holds at most 63 octets, so a long domain cannot map 1:1 and Microsoft
  // does not say how it shortens it: do not call such a key foreign (dns-facts §1.1).
  if (bases.every((b) => b.length > 63 - 3)) return 'unknown';
  return 'other-domain';
}

/** What kind of host an MX record points at, seen from `domain`. */
export function classifyMxHost(host: string, domain: string): MxHostClass {
  const name = stripDot(host.trim()).toLowerCase();
  if (name === '' || name === '.') return { kind: 'null' };
  // DNS names arrive in presentation form (src/dns/wire-name.ts): a backslash
  // means a label with a dot, space or control octet in it, which is never a
  // host name, however much the text looks like one.
  if (name.includes('\\')) return { kind: 'not-a-host' };
  if (isIP(name) !== 0 || /^\[.*\]$/.test(name)) return { kind: 'ip-literal' };
  for (const suffix of LEGACY_SUFFIXES) if (name.endsWith(suffix)) return { kind: 'exchange-online-legacy', suffix: suffix.slice(1) };
  if (name.endsWith(EXO_CLASSIC_SUFFIX)) {
    const key = name.slice(0, -EXO_CLASSIC_SUFFIX.length);
    // The key is one label; anything deeper is not a name Microsoft hands out.
    return {
      kind: 'exchange-online',
      form: 'mail.protection.outlook.com',
      key,
      owner: key.includes('.') ? 'other-domain' : keyOwner(key, domain),
    };
  }
  if (name.endsWith(EXO_MX_MICROSOFT_SUFFIX)) {
    // <key>.<partition>-v1.mx.microsoft
    const m = /^([^.]+)\.[a-z0-9]+-v[0-9]+\.mx\.microsoft$/.exec(name);
    const key = m ? m[1]! : name.split('.')[0]!;
    return { kind: 'exchange-online', form: 'mx.microsoft', key, owner: m ? keyOwner(key, domain) : 'other-domain' };
  }
  return { kind: 'other' };
}

export function isMicrosoftMx(c: MxHostClass): boolean {
  return c.kind === 'exchange-online' || c.kind === 'exchange-online-legacy';
}

/** The `mx-target` verdict for one host. */
export function judgeMxHost(host: string, domain: string): { status: CheckStatus; message: string } {
  const c = classifyMxHost(host, domain);
  const shown = stripDot(host) || '.';
  switch (c.kind) {
    case 'null':
      return { status: 'fail', message: 'null MX ("MX 0 ."): the domain says it accepts no mail at all (RFC 7505)' };
    case 'ip-literal':
      return { status: 'warn', message: `${shown} is an IP address, not a host name; mail servers look it up as a name and fail` };
    case 'exchange-online-legacy':
      return {
        status: 'warn',
        message: `${shown} is a retired Microsoft name (${c.suffix}); replace it with the MX value the Microsoft 365 admin center shows`,
      };
    case 'exchange-online':
      if (c.owner === 'this-domain') return { status: 'pass', message: `${shown} is Exchange Online (${c.form})` };
      if (c.owner === 'unknown') {
        return {
          status: 'warn',
          message: `${shown} is Exchange Online, but for a name this long the key cannot be checked; compare it with the admin center`,
        };
      }
      return {
        status: 'fail',
        message: `${shown} is the Exchange Online host of another domain ("${c.key}" is not made from ${toAscii(domain)}, expected ${exchangeOnlineKey(domain)}${c.form === 'mx.microsoft' ? '.<c>-v1.mx.microsoft' : EXO_CLASSIC_SUFFIX})`,
      };
    case 'not-a-host':
      return {
        status: 'fail',
        message: `${shown} is not a host name: one of its labels holds a dot or another character no host name has (shown escaped, RFC 4343 §2.1), so no mail server can deliver to it`,
      };
    case 'other':
      return {
        status: 'warn',
        message: `${shown} is not Exchange Online: fine if it is your own Exchange server (hybrid) or a mail filter that passes mail on to Exchange Online, otherwise mail never reaches Microsoft 365`,
      };
  }
}
