import { isIP } from 'node:net';
import { stripDot } from './domain.js';

/**
 * One SPF record (RFC 7208): its grammar, its terms, and the limits a domain
 * check holds it to. Walking the include/redirect tree over DNS is
 * spf-tree.ts; the per-term lookup table is spf-lookups.ts.
 */

export type SpfQualifier = '+' | '-' | '~' | '?';
export const SPF_MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
export type SpfMechanismName = (typeof SPF_MECHANISMS)[number];

export type SpfTerm =
  | {
      kind: 'mechanism';
      qualifier: SpfQualifier;
      name: SpfMechanismName;
      /** The domain-spec (include, a, mx, ptr, exists) or network (ip4, ip6); null when absent. */
      value: string | null;
      /** "/24", "//64", "/24//64" for a, mx, ip4, ip6. */
      cidr: string | null;
      raw: string;
    }
  | { kind: 'modifier'; name: string; value: string; raw: string };

export interface ParsedSpf {
  /** True when the record has no syntax error (an error makes check_host() return permerror). */
  valid: boolean;
  terms: SpfTerm[];
  errors: string[];
  warnings: string[];
}

/** RFC 7208 §4.6.4 limits. */
export const SPF_MAX_LOOKUPS = 10;
export const SPF_MAX_VOID_LOOKUPS = 2;
/** RFC 7208 §3.4: keep the record well under 512 octets; checkdmarc warns above 450. */
export const SPF_MAX_RECORD_LENGTH = 450;

/** RFC 7208 §4.5: a record starts with "v=spf1" followed by a space or the end. */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** The terms that make a DNS query and count against the limit of 10 (RFC 7208 §4.6.4). */
export function countsAsLookup(t: SpfTerm): boolean {
  return t.kind === 'mechanism' ? ['include', 'a', 'mx', 'ptr', 'exists'].includes(t.name) : t.name === 'redirect';
}

const MACRO = /%\{[slodiphcrtv][0-9]*r?[.\-+,/_=]*\}|%%|%_|%-/gi;

export function hasMacro(spec: string): boolean {
  return /%/.test(spec);
}

/** Why a domain-spec is malformed (RFC 7208 §7.1 macro-string and domain-end), or null. */
function domainSpecProblem(spec: string): string | null {
  if (spec === '') return 'empty domain';
  const bare = spec.replace(MACRO, 'x');
  if (bare.includes('%')) return `bad macro in "${spec}"`;
  if (/[\s]/.test(bare) || /[^\x21-\x7e]/.test(bare)) return `"${spec}" holds characters not allowed in a domain`;
  if (hasMacro(spec)) return null;
  const name = stripDot(spec);
  // domain-end = "." toplabel: at least two labels, the last of letters, digits and inner hyphens with a letter.
  const labels = name.split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || l.length > 63)) return `"${spec}" is not a domain name`;
  const top = labels[labels.length - 1]!;
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(top) || /^[0-9]+$/.test(top)) return `"${spec}" does not end in a valid top-level label`;
  return null;
}

function cidrProblem(cidr: string, v4max: boolean, v6max: boolean): string | null {
  const m = /^(?:\/([0-9]{1,3}))?(?:\/\/([0-9]{1,3}))?$/.exec(cidr);
  if (!m || cidr === '') return `bad prefix length "${cidr}"`;
  if (m[1] !== undefined && (!v4max || Number(m[1]) > 32 || (m[1].length > 1 && m[1].startsWith('0'))))
    return `bad IPv4 prefix length "${cidr}"`;
  if (m[2] !== undefined && (!v6max || Number(m[2]) > 128 || (m[2].length > 1 && m[2].startsWith('0'))))
    return `bad IPv6 prefix length "${cidr}"`;
  return null;
}

/** What follows a mechanism's name: its domain-spec or network, its prefix lengths, and what is wrong with them. */
interface MechanismArgument {
  value: string | null;
  cidr: string | null;
  problem: string | null;
}

/** a and mx: an optional ":domain", then optional prefix lengths. */
function domainAndCidr(rest: string): MechanismArgument {
  let tail = rest;
  let value: string | null = null;
  if (tail.startsWith(':')) {
    const slash = tail.indexOf('/');
    value = slash === -1 ? tail.slice(1) : tail.slice(1, slash);
    tail = slash === -1 ? '' : tail.slice(slash);
    const p = domainSpecProblem(value);
    if (p) return { value, cidr: null, problem: p };
  }
  if (tail !== '') return { value, cidr: tail, problem: cidrProblem(tail, true, true) };
  return { value, cidr: null, problem: null };
}

/** ip4 and ip6: ":address", then an optional prefix length. */
function addressAndCidr(mech: 'ip4' | 'ip6', rest: string, raw: string): MechanismArgument {
  if (!rest.startsWith(':')) return { value: null, cidr: null, problem: `"${raw}": ${mech} needs ":address"` };
  const body = rest.slice(1);
  const slash = body.indexOf('/');
  const value = slash === -1 ? body : body.slice(0, slash);
  const cidr = slash === -1 ? null : body.slice(slash);
  const family = mech === 'ip4' ? 4 : 6;
  if (isIP(value) !== family) return { value, cidr, problem: `"${raw}": "${value}" is not an IPv${family} address` };
  if (cidr === null) return { value, cidr, problem: null };
  const len = /^\/([0-9]{1,3})$/.exec(cidr);
  return { value, cidr, problem: len && Number(len[1]) <= (family === 4 ? 32 : 128) ? null : `"${raw}": bad prefix length` };
}

function mechanismArgument(mech: SpfMechanismName, rest: string, raw: string): MechanismArgument {
  switch (mech) {
    case 'all':
      return { value: null, cidr: null, problem: rest === '' ? null : `"${raw}": "all" takes no argument` };
    case 'include':
    case 'exists':
      if (!rest.startsWith(':')) return { value: null, cidr: null, problem: `"${raw}": ${mech} needs ":domain"` };
      return { value: rest.slice(1), cidr: null, problem: domainSpecProblem(rest.slice(1)) };
    case 'ptr':
      if (rest === '') return { value: null, cidr: null, problem: null };
      if (!rest.startsWith(':')) return { value: null, cidr: null, problem: `bad term "${raw}"` };
      return { value: rest.slice(1), cidr: null, problem: domainSpecProblem(rest.slice(1)) };
    case 'a':
    case 'mx':
      return domainAndCidr(rest);
    case 'ip4':
    case 'ip6':
      return addressAndCidr(mech, rest, raw);
  }
}

/** Parses one SPF record (RFC 7208 §4.6.1 and §12 grammar). Never throws. */
export function parseSpf(text: string): ParsedSpf {
  const errors: string[] = [];
  const warnings: string[] = [];
  const terms: SpfTerm[] = [];
  if (!isSpfRecord(text)) return { valid: false, terms, errors: ['does not start with "v=spf1"'], warnings };
  if (/[^\x20-\x7e]/.test(text)) errors.push('holds characters other than printable ASCII and spaces');
  const words = text
    .slice('v=spf1'.length)
    .split(' ')
    .filter((w) => w !== '');
  const seenModifiers = new Set<string>();
  let allSeen = false;
  for (const raw of words) {
    const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (mod) {
      const name = mod[1]!.toLowerCase();
      const value = mod[2]!;
      if ((name === 'redirect' || name === 'exp') && seenModifiers.has(name)) errors.push(`"${name}=" appears more than once`);
      seenModifiers.add(name);
      if (name === 'redirect' || name === 'exp') {
        const problem = domainSpecProblem(value);
        if (problem) errors.push(`${name}=: ${problem}`);
      }
      terms.push({ kind: 'modifier', name, value, raw });
      continue;
    }
    const m = /^([+\-~?]?)([a-z][a-z0-9]*)(.*)$/i.exec(raw);
    const name = m?.[2]?.toLowerCase();
    if (!m || !name || !(SPF_MECHANISMS as readonly string[]).includes(name)) {
      errors.push(`unknown term "${raw}"`);
      continue;
    }
    const mech = name as SpfMechanismName;
    const qualifier = (m[1] || '+') as SpfQualifier;
    const { value, cidr, problem } = mechanismArgument(mech, m[3]!, raw);
    if (problem) errors.push(problem);
    if (allSeen && mech !== 'all') warnings.push(`"${raw}" comes after "all" and is never used`);
    if (mech === 'all' && allSeen) warnings.push('"all" appears more than once; only the first is used');
    if (mech === 'all') allSeen = true;
    if (mech === 'ptr') warnings.push('"ptr" is slow and unreliable; RFC 7208 §5.5 says not to use it');
    terms.push({ kind: 'mechanism', qualifier, name: mech, value, cidr, raw });
  }
  if (allSeen && seenModifiers.has('redirect')) warnings.push('"redirect=" is ignored because the record has "all"');
  return { valid: errors.length === 0, terms, errors, warnings };
}

/** The first `all` mechanism: terms after it are never reached. */
export function allTerm(p: ParsedSpf): Extract<SpfTerm, { kind: 'mechanism' }> | null {
  for (const t of p.terms) if (t.kind === 'mechanism' && t.name === 'all') return t;
  return null;
}

/** The redirect target, unless an `all` mechanism makes it unreachable (RFC 7208 §6.1). */
export function redirectOf(p: ParsedSpf): string | null {
  if (allTerm(p)) return null;
  for (const t of p.terms) if (t.kind === 'modifier' && t.name === 'redirect') return t.value;
  return null;
}
