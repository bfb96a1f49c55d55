import type { LookupResult, Resolver } from '../dns/types.js';
import { Asker, isUnanswered, isVoid } from './ask.js';
import { sameName, stripDot } from './domain.js';
import { allTerm, countsAsLookup, hasMacro, isSpfRecord, parseSpf, redirectOf, type ParsedSpf, type SpfQualifier } from './spf-record.js';

/**
 * An SPF tree over DNS: walk the include/redirect tree, count the
 * DNS-querying terms and void lookups of the whole tree (RFC 7208 §4.6.4),
 * find loops, find Exchange Online's include.
 */

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

/**
 * How far ndr follows an SPF tree before it stops asking (hostile or broken
 * records): includes and redirects nested this deep, and this many SPF
 * records fetched below the root. Either is past RFC 7208's 10 lookups, so
 * the record already fails; the caps only bound the work.
 */
export const SPF_MAX_DEPTH = 10;
export const SPF_MAX_RECORDS = 40;

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

/** What one walk of an SPF tree keeps across its records. */
interface Walk {
  asker: Asker;
  /** SPF records fetched below the root so far. */
  followed: number;
  overCap: boolean;
  notFollowed: string[];
  loops: string[];
}

function spfTexts(r: LookupResult): string[] {
  return r.records.flatMap((rec) => (rec.type === 'TXT' && isSpfRecord(rec.text) ? [rec.text] : []));
}

function newNode(domain: string, term: string | null): SpfNode {
  return {
    domain,
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
}

/** Why an include or redirect target is not fetched (macros, depth, the cap on records), or null; counts it when fetched. */
function skipReason(walk: Walk, name: string, path: string[]): string | null {
  return hasMacro(name)
    ? 'holds macros that need the sender address'
    : path.length > SPF_MAX_DEPTH
      ? `nested more than ${SPF_MAX_DEPTH} includes deep`
      : ++walk.followed > SPF_MAX_RECORDS
        ? `past ndr's cap of ${SPF_MAX_RECORDS} SPF records per tree`
        : null;
}

/** Reads the node's TXT answer into its records; the parsed record, or null when there is not exactly one to follow. */
function readRecord(node: SpfNode, lookup: LookupResult): ParsedSpf | null {
  if (isUnanswered(lookup)) {
    node.status = 'unanswered';
    node.problem = `TXT lookup ${lookup.status}`;
    return null;
  }
  node.records = spfTexts(lookup);
  if (node.records.length === 0) {
    node.status = 'none';
    node.problem = 'no SPF record';
    return null;
  }
  if (node.records.length > 1) {
    node.status = 'multiple';
    node.problem = `${node.records.length} SPF records`;
    return null;
  }
  const parsed = parseSpf(node.records[0]!);
  node.parsed = parsed;
  if (!parsed.valid) {
    node.status = 'invalid';
    node.problem = parsed.errors.join('; ');
  }
  return parsed;
}

/**
 * Starts the questions of the record's DNS-querying terms, all in the next
 * round: include and redirect targets become child nodes, a/mx/exists names
 * term lookups. Counts the record's own lookups and void lookups.
 */
function followTerms(walk: Walk, node: SpfNode, parsed: ParsedSpf, here: string[], round: number): Promise<void>[] {
  const redirect = redirectOf(parsed);
  const work: Promise<void>[] = [];
  for (const t of parsed.terms) {
    if (!countsAsLookup(t)) continue;
    if (t.kind === 'modifier' && redirect === null) continue; // redirect ignored next to "all"
    node.ownLookups += 1;
    const target = t.kind === 'modifier' ? t.value : (t.value ?? node.domain);
    if (t.kind === 'modifier' || t.name === 'include') {
      work.push(
        visit(walk, stripDot(target).toLowerCase(), t.raw, here, round + 1).then((child) => {
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
      Promise.all(types.map((type) => walk.asker.ask(stripDot(target), type, round + 1))).then((results) => {
        node.termLookups.push({ term: t.raw, results });
        // One evaluation asks A or AAAA, not both: void only when both are empty.
        if (results.every((r) => isVoid(r))) node.ownVoidLookups += 1;
        // RFC 7208 §4.6.4: an "mx" term may not name more than 10 hosts.
        const mx = results[0];
        if (t.name === 'mx' && mx && mx.records.length > 10)
          node.limitProblems.push(`"${t.raw}" names ${mx.records.length} MX hosts (at most 10)`);
      }),
    );
  }
  return work;
}

/** The node of `name` (reached through `term` along `path`), with everything below it. */
async function visit(walk: Walk, name: string, term: string | null, path: string[], round: number): Promise<SpfNode> {
  const node = newNode(name, term);
  if (path.some((p) => sameName(p, name))) {
    node.status = 'loop';
    node.problem = `loop: ${[...path, name].join(' -> ')}`;
    walk.loops.push([...path, name].join(' -> '));
    return node;
  }
  const skip = term === null ? null : skipReason(walk, name, path);
  if (term !== null && skip !== null) {
    node.status = 'not-followed';
    node.problem = `${skip}; not followed`;
    walk.notFollowed.push(term);
    if (!hasMacro(name)) walk.overCap = true;
    return node;
  }
  for (const next of KNOWN_INCLUDES[name] ?? []) walk.asker.prefetch(next, 'TXT');
  const lookup = await walk.asker.ask(name, 'TXT', round);
  node.lookup = lookup;
  const parsed = readRecord(node, lookup);
  if (!parsed) return node;
  await Promise.all(followTerms(walk, node, parsed, [...path, name], round));
  // Keep the record's order, not the order answers arrived in.
  const order = parsed.terms.map((t) => t.raw);
  node.children.sort((a, b) => order.indexOf(a.term ?? '') - order.indexOf(b.term ?? ''));
  node.termLookups.sort((a, b) => order.indexOf(a.term) - order.indexOf(b.term));
  return node;
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

function walkTree(n: SpfNode, path: SpfNode[], fn: (n: SpfNode, path: SpfNode[]) => void): void {
  fn(n, path);
  for (const c of n.children) walkTree(c, [...path, n], fn);
}

/** What the whole tree holds: unanswered lookups, permerrors below the root, the records' warnings, the EOP include. */
function collectTree(root: SpfNode): Pick<SpfEvaluation, 'unanswered' | 'brokenIncludes' | 'eop' | 'warnings'> {
  const unanswered: LookupResult[] = [];
  const brokenIncludes: { term: string; problem: string }[] = [];
  const warnings: string[] = [];
  let eop: SpfEvaluation['eop'] = null;
  walkTree(root, [], (n, path) => {
    if (n.status === 'unanswered' && n.lookup) unanswered.push(n.lookup);
    for (const tl of n.termLookups) unanswered.push(...tl.results.filter(isUnanswered));
    if (n !== root && n.term !== null && ['none', 'multiple', 'invalid', 'loop'].includes(n.status)) {
      brokenIncludes.push({ term: n.term, problem: n.problem ?? n.status });
    }
    for (const problem of n.limitProblems) brokenIncludes.push({ term: n.term ?? n.domain, problem });
    if (n.parsed) for (const w of n.parsed.warnings) warnings.push(n === root ? w : `${n.domain}: ${w}`);
    if (!eop && n !== root && EOP_SPF_DOMAINS.includes(n.domain))
      eop = { domain: n.domain, path: [...path.map((p) => p.domain), n.domain] };
  });
  return { unanswered, brokenIncludes, eop, warnings };
}

/** The `all` that applies: this record's, or (without one) the redirect target's (RFC 7208 §6.1). */
function applicableAll(root: SpfNode): Pick<SpfEvaluation, 'all' | 'allUnknown'> {
  for (let n: SpfNode | undefined = root; n;) {
    if (n.status === 'unanswered') return { all: null, allUnknown: true };
    if (!n.parsed) break;
    const a = allTerm(n.parsed);
    if (a) return { all: { qualifier: a.qualifier, domain: n.domain }, allUnknown: false };
    const redirect = redirectOf(n.parsed);
    n = redirect === null ? undefined : n.children.find((c) => c.term?.toLowerCase().startsWith('redirect='));
  }
  return { all: null, allUnknown: false };
}

/**
 * Walks the SPF tree of `domain` asking every independent question at once:
 * a record's include and redirect targets and its a/mx/exists names are all
 * asked in the round after the record arrived, so a chain of depth d takes
 * d + 1 rounds (d + 2 with a/mx terms at the bottom).
 */
export async function evaluateSpf(domain: string, resolver: Resolver | Asker, startRound = 1): Promise<SpfEvaluation> {
  const asker = resolver instanceof Asker ? resolver : new Asker(resolver);
  const walk: Walk = { asker, followed: 0, overCap: false, notFollowed: [], loops: [] };
  const root = await visit(walk, stripDot(domain).toLowerCase(), null, [], startRound);
  sum(root);
  const { unanswered, brokenIncludes, eop, warnings } = collectTree(root);
  const { all, allUnknown } = applicableAll(root);
  return {
    domain: root.domain,
    root,
    lookups: root.totalLookups,
    voidLookups: root.totalVoidLookups,
    unanswered,
    notFollowed: walk.notFollowed,
    overCap: walk.overCap,
    loops: walk.loops,
    brokenIncludes,
    eop,
    all,
    allUnknown,
    warnings,
    rounds: asker.rounds,
  };
}
