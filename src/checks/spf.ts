import { isIP } from 'node:net';
import type { LookupResult, Resolver } from '../dns/types.js';
import { Asker, isUnanswered, isVoid } from './ask.js';
import { sameName, stripDot } from './domain.js';
import type { SpfLookupBreakdown, SpfLookupRow } from './types.js';

/**
 * SPF (RFC 7208) as far as a domain check needs it: parse a record, walk the
 * include/redirect tree, count the DNS-querying terms and void lookups of the
 * whole tree (§4.6.4), find loops, find Exchange Online's include.
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

/** Exchange Online's SPF include, and the same for the US Government and 21Vianet clouds (dns-facts §1.4). */
export const EOP_SPF_DOMAINS = ['spf.protection.outlook.com', 'spf.protection.office365.us', 'spf.protection.partner.outlook.cn'];

/**
 * Includes that a well-known SPF record is known to hold: Exchange Online's
 * spf.protection.outlook.com includes spfd.protection.outlook.com. Asked
 * together with the record (Asker.prefetch), they save every correct domain a
 * round trip. Only a hint: the tree is still walked from the answers, and if
 * the record stops holding the include, the question is simply not used.
 */
const KNOWN_INCLUDES: Record<string, readonly string[]> = {
  'spf.protection.outlook.com': ['spfd.protection.outlook.com'],
};

/** RFC 7208 §4.6.4 limits. */
export const SPF_MAX_LOOKUPS = 10;
export const SPF_MAX_VOID_LOOKUPS = 2;
/** RFC 7208 §3.4: keep the record well under 512 octets; checkdmarc warns above 450. */
export const SPF_MAX_RECORD_LENGTH = 450;

/**
 * How far ndr follows an SPF tree before it stops asking (hostile or broken
 * records): includes and redirects nested this deep, and this many SPF
 * records fetched below the root. Either is past RFC 7208's 10 lookups, so
 * the record already fails; the caps only bound the work.
 */
export const SPF_MAX_DEPTH = 10;
export const SPF_MAX_RECORDS = 40;

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
  if (m[1] !== undefined && (!v4max || Number(m[1]) > 32 || (m[1].length > 1 && m[1].startsWith('0')))) return `bad IPv4 prefix length "${cidr}"`;
  if (m[2] !== undefined && (!v6max || Number(m[2]) > 128 || (m[2].length > 1 && m[2].startsWith('0')))) return `bad IPv6 prefix length "${cidr}"`;
  return null;
}

/** Parses one SPF record (RFC 7208 §4.6.1 and §12 grammar). Never throws. */
export function parseSpf(text: string): ParsedSpf {
  const errors: string[] = [];
  const warnings: string[] = [];
  const terms: SpfTerm[] = [];
  if (!isSpfRecord(text)) return { valid: false, terms, errors: ['does not start with "v=spf1"'], warnings };
  if (/[^\x20-\x7e]/.test(text)) errors.push('holds characters other than printable ASCII and spaces');
  const words = text.slice('v=spf1'.length).split(' ').filter((w) => w !== '');
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
    const rest = m[3]!;
    let value: string | null = null;
    let cidr: string | null = null;
    const problem = (() => {
      switch (mech) {
        case 'all':
          return rest === '' ? null : `"${raw}": "all" takes no argument`;
        case 'include':
        case 'exists':
          if (!rest.startsWith(':')) return `"${raw}": ${mech} needs ":domain"`;
          value = rest.slice(1);
          return domainSpecProblem(value);
        case 'ptr':
          if (rest === '') return null;
          if (!rest.startsWith(':')) return `bad term "${raw}"`;
          value = rest.slice(1);
          return domainSpecProblem(value);
        case 'a':
        case 'mx': {
          let tail = rest;
          if (tail.startsWith(':')) {
            const slash = tail.indexOf('/');
            value = slash === -1 ? tail.slice(1) : tail.slice(1, slash);
            tail = slash === -1 ? '' : tail.slice(slash);
            const p = domainSpecProblem(value);
            if (p) return p;
          }
          if (tail !== '') {
            cidr = tail;
            return cidrProblem(tail, true, true);
          }
          return null;
        }
        case 'ip4':
        case 'ip6': {
          if (!rest.startsWith(':')) return `"${raw}": ${mech} needs ":address"`;
          const body = rest.slice(1);
          const slash = body.indexOf('/');
          value = slash === -1 ? body : body.slice(0, slash);
          if (slash !== -1) cidr = body.slice(slash);
          const family = mech === 'ip4' ? 4 : 6;
          if (isIP(value) !== family) return `"${raw}": "${value}" is not an IPv${family} address`;
          if (cidr === null) return null;
          const len = /^\/([0-9]{1,3})$/.exec(cidr);
          return len && Number(len[1]) <= (family === 4 ? 32 : 128) ? null : `"${raw}": bad prefix length`;
        }
      }
    })();
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

// ---------------------------------------------------------------------------
// Evaluation over DNS.

export type SpfNodeStatus =
  /** One valid record. */
  | 'ok'
  /** No SPF record (NXDOMAIN, NODATA or TXT without v=spf1). */
  | 'none'
  /** Several SPF records: permerror (RFC 7208 §4.5). */
  | 'multiple'
  /** A syntax error: permerror. */
  | 'invalid'
  /** Already on the path from the root: permerror. */
  | 'loop'
  /** The TXT lookup got no answer: temperror. */
  | 'unanswered'
  /** Not asked: macros (need the sender's address), too deep, too many. */
  | 'not-followed';

export interface SpfNode {
  domain: string;
  /** The term that led here ("include:x", "redirect=x"), null for the root. */
  term: string | null;
  status: SpfNodeStatus;
  /** Why a node is not 'ok'. */
  problem: string | null;
  /** The TXT lookup (null when not asked). */
  lookup: LookupResult | null;
  /** The v=spf1 records found here. */
  records: string[];
  parsed: ParsedSpf | null;
  /** DNS-querying terms of this record itself. */
  ownLookups: number;
  /** This record's terms plus everything below it. */
  totalLookups: number;
  /** Void lookups of this record's own terms (a, mx, exists, include and redirect targets). */
  ownVoidLookups: number;
  totalVoidLookups: number;
  /** Lookups made by this record's a, mx and exists terms (a: A and AAAA). */
  termLookups: { term: string; results: LookupResult[] }[];
  /** Other permerrors of this record: an mx term naming more than 10 hosts. */
  limitProblems: string[];
  children: SpfNode[];
}

export interface SpfEvaluation {
  domain: string;
  root: SpfNode;
  /** DNS-querying terms over the whole tree (RFC 7208 §4.6.4 allows 10). */
  lookups: number;
  voidLookups: number;
  /** Nodes that could not be evaluated because a lookup got no answer. */
  unanswered: LookupResult[];
  /** Terms not followed (macros, depth, count), so counts are lower bounds. */
  notFollowed: string[];
  /** Some terms were not followed because the tree is deeper or larger than SPF_MAX_DEPTH / SPF_MAX_RECORDS. */
  overCap: boolean;
  /** "a.example -> b.example -> a.example". */
  loops: string[];
  /** Permerrors below the root (no record, several, syntax, loop) and too many MX names anywhere. */
  brokenIncludes: { term: string; problem: string }[];
  /** The EOP include domain reached, with the path to it; null when none. */
  eop: { domain: string; path: string[] } | null;
  /** The qualifier of the `all` that applies (following redirects); null when there is none. */
  all: { qualifier: SpfQualifier; domain: string } | null;
  /** True when the `all` could not be found because a redirect target got no answer. */
  allUnknown: boolean;
  warnings: string[];
  rounds: number;
}

function spfTexts(r: LookupResult): string[] {
  return r.records.flatMap((rec) => (rec.type === 'TXT' && isSpfRecord(rec.text) ? [rec.text] : []));
}

/**
 * Walks the SPF tree of `domain` asking every independent question at once:
 * a record's include and redirect targets and its a/mx/exists names are all
 * asked in the round after the record arrived, so a chain of depth d takes
 * d + 1 rounds (d + 2 with a/mx terms at the bottom).
 */
export async function evaluateSpf(domain: string, resolver: Resolver | Asker, startRound = 1): Promise<SpfEvaluation> {
  const asker = resolver instanceof Asker ? resolver : new Asker(resolver);
  let followed = 0;
  let overCap = false;
  const notFollowed: string[] = [];
  const loops: string[] = [];

  async function visit(name: string, term: string | null, path: string[], round: number): Promise<SpfNode> {
    const node: SpfNode = {
      domain: name,
      term,
      status: 'ok',
      problem: null,
      lookup: null,
      records: [],
      parsed: null,
      ownLookups: 0,
      totalLookups: 0,
      ownVoidLookups: 0,
      totalVoidLookups: 0,
      termLookups: [],
      limitProblems: [],
      children: [],
    };
    if (path.some((p) => sameName(p, name))) {
      node.status = 'loop';
      node.problem = `loop: ${[...path, name].join(' -> ')}`;
      loops.push([...path, name].join(' -> '));
      return node;
    }
    const skip =
      term === null
        ? null
        : hasMacro(name)
          ? 'holds macros that need the sender address'
          : path.length > SPF_MAX_DEPTH
            ? `nested more than ${SPF_MAX_DEPTH} includes deep`
            : ++followed > SPF_MAX_RECORDS
              ? `past ndr's cap of ${SPF_MAX_RECORDS} SPF records per tree`
              : null;
    if (term !== null && skip !== null) {
      node.status = 'not-followed';
      node.problem = `${skip}; not followed`;
      notFollowed.push(term);
      if (!hasMacro(name)) overCap = true;
      return node;
    }
    for (const next of KNOWN_INCLUDES[name] ?? []) asker.prefetch(next, 'TXT');
    const lookup = await asker.ask(name, 'TXT', round);
    node.lookup = lookup;
    if (isUnanswered(lookup)) {
      node.status = 'unanswered';
      node.problem = `TXT lookup ${lookup.status}`;
      return node;
    }
    node.records = spfTexts(lookup);
    if (node.records.length === 0) {
      node.status = 'none';
      node.problem = 'no SPF record';
      return node;
    }
    if (node.records.length > 1) {
      node.status = 'multiple';
      node.problem = `${node.records.length} SPF records`;
      return node;
    }
    const parsed = parseSpf(node.records[0]!);
    node.parsed = parsed;
    if (!parsed.valid) {
      node.status = 'invalid';
      node.problem = parsed.errors.join('; ');
    }
    const here = [...path, name];
    const redirect = redirectOf(parsed);
    const work: Promise<void>[] = [];
    for (const t of parsed.terms) {
      if (!countsAsLookup(t)) continue;
      if (t.kind === 'modifier' && redirect === null) continue; // redirect ignored next to "all"
      node.ownLookups += 1;
      const target = t.kind === 'modifier' ? t.value : t.value ?? name;
      if (t.kind === 'modifier' || t.name === 'include') {
        work.push(
          visit(stripDot(target).toLowerCase(), t.raw, here, round + 1).then((child) => {
            node.children.push(child);
            // The include or redirect target's own TXT query is a void lookup when it is empty.
            if (child.lookup && isVoid(child.lookup)) node.ownVoidLookups += 1;
          }),
        );
        continue;
      }
      // ptr needs the connecting address; exists and anything else with macros needs the sender.
      if (t.name === 'ptr' || hasMacro(target)) continue;
      // exists asks A only (RFC 7208 §5.7); a asks A or AAAA depending on the client, so both.
      const types = t.name === 'mx' ? (['MX'] as const) : t.name === 'exists' ? (['A'] as const) : (['A', 'AAAA'] as const);
      work.push(
        Promise.all(types.map((type) => asker.ask(stripDot(target), type, round + 1))).then((results) => {
          node.termLookups.push({ term: t.raw, results });
          // One evaluation asks A or AAAA, not both: void only when both are empty.
          if (results.every((r) => isVoid(r))) node.ownVoidLookups += 1;
          // RFC 7208 §4.6.4: an "mx" term may not name more than 10 hosts.
          const mx = results[0];
          if (t.name === 'mx' && mx && mx.records.length > 10) node.limitProblems.push(`"${t.raw}" names ${mx.records.length} MX hosts (at most 10)`);
        }),
      );
    }
    await Promise.all(work);
    // Keep the record's order, not the order answers arrived in.
    const order = parsed.terms.map((t) => t.raw);
    node.children.sort((a, b) => order.indexOf(a.term ?? '') - order.indexOf(b.term ?? ''));
    node.termLookups.sort((a, b) => order.indexOf(a.term) - order.indexOf(b.term));
    return node;
  }

  const root = await visit(stripDot(domain).toLowerCase(), null, [], startRound);
  sum(root);

  const unanswered: LookupResult[] = [];
  const brokenIncludes: { term: string; problem: string }[] = [];
  const warnings: string[] = [];
  let eop: SpfEvaluation['eop'] = null;
  walk(root, [], (n, path) => {
    if (n.status === 'unanswered' && n.lookup) unanswered.push(n.lookup);
    for (const tl of n.termLookups) unanswered.push(...tl.results.filter(isUnanswered));
    if (n !== root && n.term !== null && ['none', 'multiple', 'invalid', 'loop'].includes(n.status)) {
      brokenIncludes.push({ term: n.term, problem: n.problem ?? n.status });
    }
    for (const problem of n.limitProblems) brokenIncludes.push({ term: n.term ?? n.domain, problem });
    if (n.parsed) for (const w of n.parsed.warnings) warnings.push(n === root ? w : `${n.domain}: ${w}`);
    if (!eop && n !== root && EOP_SPF_DOMAINS.includes(n.domain)) eop = { domain: n.domain, path: [...path.map((p) => p.domain), n.domain] };
  });

  // The `all` that applies: this record's, or (without one) the redirect target's (RFC 7208 §6.1).
  let all: SpfEvaluation['all'] = null;
  let allUnknown = false;
  for (let n: SpfNode | undefined = root; n; ) {
    if (n.status === 'unanswered') {
      allUnknown = true;
      break;
    }
    if (!n.parsed) break;
    const a = allTerm(n.parsed);
    if (a) {
      all = { qualifier: a.qualifier, domain: n.domain };
      break;
    }
    const redirect = redirectOf(n.parsed);
    n = redirect === null ? undefined : n.children.find((c) => c.term?.toLowerCase().startsWith('redirect='));
  }

  return {
    domain: root.domain,
    root,
    lookups: root.totalLookups,
    voidLookups: root.totalVoidLookups,
    unanswered,
    notFollowed,
    overCap,
    loops,
    brokenIncludes,
    eop,
    all,
    allUnknown,
    warnings,
    rounds: asker.rounds,
  };
}

function sum(n: SpfNode): void {
  n.totalLookups = n.ownLookups;
  n.totalVoidLookups = n.ownVoidLookups;
  for (const c of n.children) {
    sum(c);
    n.totalLookups += c.totalLookups;
    n.totalVoidLookups += c.totalVoidLookups;
  }
}

function walk(n: SpfNode, path: SpfNode[], fn: (n: SpfNode, path: SpfNode[]) => void): void {
  fn(n, path);
  for (const c of n.children) walk(c, [...path, n], fn);
}

/**
 * Every DNS-querying term of the tree, in the order of the records, each
 * include or redirect followed by the terms of the record it leads to: one
 * lookup a row (RFC 7208 §4.6.4 counts the include itself, then what its
 * record holds), so the rows add up to `e.lookups`.
 */
export function spfLookupRows(e: SpfEvaluation): SpfLookupRow[] {
  const rows: SpfLookupRow[] = [];
  const visit = (n: SpfNode, depth: number) => {
    if (!n.parsed) return;
    const redirect = redirectOf(n.parsed);
    const children = [...n.children];
    const termLookups = [...n.termLookups];
    const take = <T extends { term: string | null }>(list: T[], raw: string): T | null => {
      const i = list.findIndex((x) => x.term === raw);
      return i < 0 ? null : list.splice(i, 1)[0]!;
    };
    for (const t of n.parsed.terms) {
      if (!countsAsLookup(t)) continue;
      if (t.kind === 'modifier' && redirect === null) continue; // ignored next to "all", as in ownLookups
      const row: SpfLookupRow = { depth, record: n.domain, term: t.raw, lookups: 1, void: false, note: null };
      rows.push(row);
      if (t.kind === 'modifier' || t.name === 'include') {
        const child = take(children, t.raw);
        if (!child) continue;
        row.void = Boolean(child.lookup && isVoid(child.lookup));
        if (child.status !== 'ok') row.note = child.problem ?? child.status;
        visit(child, depth + 1);
        continue;
      }
      const asked = take(termLookups, t.raw);
      if (asked) row.void = asked.results.length > 0 && asked.results.every(isVoid);
      else if (t.name === 'ptr') row.note = 'not asked: needs the connecting address';
      else row.note = "not asked: holds macros that need the sender's address";
    }
  };
  visit(e.root, 0);
  return rows;
}

export function spfLookupBreakdown(e: SpfEvaluation): SpfLookupBreakdown {
  const rows = spfLookupRows(e);
  return { rows, total: e.lookups, voidLookups: e.voidLookups, limit: SPF_MAX_LOOKUPS, voidLimit: SPF_MAX_VOID_LOOKUPS };
}
