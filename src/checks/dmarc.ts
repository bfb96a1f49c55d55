/**
 * DMARC records (RFC 7489 §6.3, and the DMARCbis tags): `v=DMARC1; p=reject; rua=mailto:…`.
 * Accepts both grammars: DMARCbis allows a missing p (then p=none) and adds np, psd, t.
 */

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface ParsedDmarc {
  /** No error: the record would be applied. */
  valid: boolean;
  /** The policy that applies (DMARCbis: a missing p means none). */
  policy: DmarcPolicy | null;
  /** Whether p= was written (RFC 7489 requires it). */
  policyGiven: boolean;
  subdomainPolicy: DmarcPolicy | null;
  pct: number | null;
  rua: string[];
  ruf: string[];
  tags: Map<string, string>;
  errors: string[];
  warnings: string[];
}

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = new Set(['v', 'p', 'sp', 'np', 'pct', 'rua', 'ruf', 'adkim', 'aspf', 'fo', 'rf', 'ri', 'psd', 't']);

/** RFC 7489 §6.4: the record starts with "v=DMARC1" (spaces around "=" and before ";" allowed). */
export function isDmarcRecord(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/i.test(text);
}

export function parseDmarc(text: string): ParsedDmarc {
  const errors: string[] = [];
  const warnings: string[] = [];
  const tags = new Map<string, string>();
  const out: ParsedDmarc = {
    valid: false,
    policy: null,
    policyGiven: false,
    subdomainPolicy: null,
    pct: null,
    rua: [],
    ruf: [],
    tags,
    errors,
    warnings,
  };
  if (!isDmarcRecord(text)) {
    errors.push(/^\s/.test(text) ? 'starts with white space before "v=DMARC1"' : 'does not start with "v=DMARC1"');
    return out;
  }
  for (const part of text.split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) {
      errors.push(`"${item}" is not tag=value`);
      continue;
    }
    const tag = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (!/^[a-z][a-z0-9_]*$/.test(tag)) {
      errors.push(`"${item}" has a bad tag name`);
      continue;
    }
    if (tags.has(tag)) warnings.push(`tag "${tag}" appears more than once; the first one is used`);
    else tags.set(tag, value);
    if (!KNOWN_TAGS.has(tag)) warnings.push(`unknown tag "${tag}" (ignored)`);
  }
  const policyOf = (tag: string): DmarcPolicy | null => {
    const v = tags.get(tag);
    if (v === undefined) return null;
    if (POLICIES.includes(v.toLowerCase())) return v.toLowerCase() as DmarcPolicy;
    errors.push(`${tag}=${v} is not none, quarantine or reject`);
    return null;
  };
  out.policyGiven = tags.has('p');
  out.policy = policyOf('p');
  if (!out.policyGiven) {
    // RFC 7489 §6.3: p is required; DMARCbis treats a missing p as none.
    warnings.push('no p= tag: receivers treat it as p=none (or ignore the record)');
    out.policy = 'none';
  }
  out.subdomainPolicy = policyOf('sp');
  policyOf('np');
  const pct = tags.get('pct');
  if (pct !== undefined) {
    if (/^[0-9]{1,3}$/.test(pct) && Number(pct) <= 100) {
      out.pct = Number(pct);
      if (out.pct < 100) warnings.push(`pct=${pct}: the policy applies to only ${pct}% of failing mail`);
    } else errors.push(`pct=${pct} is not a number from 0 to 100`);
  }
  for (const tag of ['adkim', 'aspf']) {
    const v = tags.get(tag);
    if (v !== undefined && !/^[rs]$/i.test(v)) errors.push(`${tag}=${v} is not r or s`);
  }
  for (const tag of ['rua', 'ruf'] as const) {
    const v = tags.get(tag);
    if (v === undefined) continue;
    const uris = v
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    for (const u of uris) if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) errors.push(`${tag}: "${u}" is not a URI such as mailto:dmarc@example.com`);
    out[tag] = uris;
  }
  out.valid = errors.length === 0;
  return out;
}
