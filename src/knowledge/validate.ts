import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parseCodeRange } from './codes.js';
import { MAX_KB_ENTRIES, MAX_KB_NODES, roughNodeCount } from './kb-limits.js';
import { REASONS, toReason, type Reason } from './reasons.js';
import { unsafePatternReason } from './safe-pattern.js';
import {
  CHECKS,
  CLIENTS,
  ROLES,
  type CheckName,
  type Client,
  type KbEntry,
  type Registry,
  type Role,
  type Solution,
  type Step,
} from './types.js';

export interface Problem {
  file: string;
  line: number;
  key: string;
  message: string;
}

/** Largest knowledge-base file we read; the bundled ones are far smaller. */
export const MAX_KB_FILE_BYTES = 2 * 1024 * 1024;

const ENTRY_KEYS = new Set([
  'id',
  'reason',
  'codes',
  'patterns',
  'fallback',
  'title',
  'summary',
  'causes',
  'owner',
  'solutions',
  'checks',
  'checkDomain',
  'history',
  'see',
  'sources',
  'examples',
]);
const REQUIRED_KEYS = ['id', 'reason', 'codes', 'title', 'summary', 'causes', 'owner', 'solutions', 'sources', 'examples'];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Path = (string | number)[];

/** Parses YAML text and remembers where each node stands, for file:line errors. */
class Located {
  readonly doc: Document;
  readonly value: unknown;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
    readonly problems: Problem[],
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: true });
    for (const err of this.doc.errors) {
      problems.push({ file, line: err.linePos?.[0]?.line ?? 1, key: '(yaml)', message: err.message.split('\n')[0]! });
    }
    // Anchors and aliases have no use in the knowledge base; refusing them also rules out alias bombs.
    let value: unknown;
    if (!this.doc.errors.length) {
      try {
        value = this.doc.toJS({ maxAliasCount: 0 });
      } catch (e) {
        problems.push({ file, line: 1, key: '(yaml)', message: `${(e as Error).message} (anchors and aliases are not allowed)` });
      }
    }
    this.value = value;
  }

  line(path: Path, key?: string): number {
    const node = (path.length ? this.doc.getIn(path, true) : this.doc.contents) as Node | undefined;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return this.lines.linePos(keyNode.range[0]).line;
    }
    if (node?.range) return this.lines.linePos(node.range[0]).line;
    if (path.length) return this.line(path.slice(0, -1));
    return 1;
  }

  fail(path: Path, key: string, message: string, atKey?: string): void {
    this.problems.push({ file: this.file, line: this.line(path, atKey), key, message });
  }
}

function keyName(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates one knowledge-base file (its text) and returns its entries.
 * Problems are appended to `problems`; entries with problems are left out.
 */
export function validateKbFile(file: string, text: string, problems: Problem[]): KbEntry[] {
  // Bounded before the YAML parser runs (kb-limits.ts).
  if (roughNodeCount(text) > MAX_KB_NODES) {
    problems.push({ file, line: 1, key: '(file)', message: `more than ${MAX_KB_NODES} YAML items: not read` });
    return [];
  }
  const src = new Located(file, text, problems);
  if (src.value === undefined) return [];
  const root = src.value;
  if (!isObject(root)) {
    src.fail([], 'entries', 'the file must be a mapping with the key "entries"');
    return [];
  }
  for (const k of Object.keys(root)) if (k !== 'entries') src.fail([], k, 'unknown key', k);
  if (!Array.isArray(root.entries)) {
    src.fail([], 'entries', 'must be a list of entries', 'entries');
    return [];
  }
  if (root.entries.length > MAX_KB_ENTRIES) {
    src.fail([], 'entries', `${root.entries.length} entries, more than the ${MAX_KB_ENTRIES} allowed in one file: not read`, 'entries');
    return [];
  }
  const entries: KbEntry[] = [];
  root.entries.forEach((raw, index) => {
    const before = problems.length;
    const entry = readEntry(src, ['entries', index], raw);
    if (entry && problems.length === before) entries.push(entry);
  });
  return entries;
}

function readEntry(src: Located, path: Path, raw: unknown): KbEntry | null {
  if (!isObject(raw)) {
    src.fail(path, keyName(path), 'an entry must be a mapping');
    return null;
  }
  const idText = typeof raw.id === 'string' ? raw.id : keyName(path);
  const at = (k: string) => `${idText}.${k}`;
  for (const k of Object.keys(raw)) if (!ENTRY_KEYS.has(k)) src.fail(path, at(k), 'unknown key', k);
  for (const k of REQUIRED_KEYS) if (!(k in raw)) src.fail(path, at(k), 'missing required key');

  const str = (k: string, optional = false): string | null => {
    const v = raw[k];
    if (v === undefined && optional) return null;
    if (typeof v !== 'string' || !v.trim()) {
      if (v !== undefined) src.fail([...path, k], at(k), 'must be a non-empty string');
      return null;
    }
    return v.trim();
  };
  const strList = (k: string, allowEmpty = false): string[] => {
    const v = raw[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) {
      src.fail([...path, k], at(k), allowEmpty ? 'must be a list' : 'must be a non-empty list');
      return [];
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string' || !item.trim()) src.fail([...path, k, i], `${at(k)}[${i}]`, 'must be a non-empty string');
    });
    return v.filter((item): item is string => typeof item === 'string').map((s) => s.trim());
  };

  const id = str('id');
  if (id && !ID.test(id)) src.fail([...path, 'id'], at('id'), 'must be kebab-case (a-z, 0-9 and single hyphens)');

  let reason: Reason | null = null;
  if (raw.reason !== undefined) {
    reason = typeof raw.reason === 'string' ? toReason(raw.reason) : null;
    if (!reason) src.fail([...path, 'reason'], at('reason'), `must be one of sisimai's reasons: ${REASONS.join(', ')}`);
  }

  const codeTexts = strList('codes', true);
  const codes = codeTexts.flatMap((text, i) => {
    const r = parseCodeRange(text);
    if (!r)
      src.fail(
        [...path, 'codes', i],
        `${at('codes')}[${i}]`,
        `"${text}" is not a code (5.7.1) or a range over the last number (5.7.606-649)`,
      );
    return r ? [r] : [];
  });

  const patternTexts = strList('patterns');
  const patterns = patternTexts.flatMap((text, i) => {
    const reason = unsafePatternReason(text);
    if (reason) {
      src.fail([...path, 'patterns', i], `${at('patterns')}[${i}]`, `unsafe pattern: ${reason}`);
      return [];
    }
    try {
      return [new RegExp(text, 'i')];
    } catch (e) {
      src.fail([...path, 'patterns', i], `${at('patterns')}[${i}]`, `invalid regular expression: ${(e as Error).message}`);
      return [];
    }
  });
  if (Array.isArray(raw.codes) && raw.codes.length === 0 && patternTexts.length === 0) {
    src.fail([...path, 'codes'], at('codes'), 'an entry without codes needs patterns');
  }

  let fallback = false;
  if (raw.fallback !== undefined) {
    if (typeof raw.fallback !== 'boolean') src.fail([...path, 'fallback'], at('fallback'), 'must be true or false');
    else fallback = raw.fallback;
    if (fallback && patternTexts.length === 0)
      src.fail([...path, 'fallback'], at('fallback'), 'only means something on an entry with patterns');
  }

  const title = str('title');
  const summary = str('summary');
  const history = str('history', true);
  const causes = strList('causes');
  const sources = strList('sources');
  sources.forEach((s, i) => {
    if (!/^https?:\/\/\S+$/.test(s)) src.fail([...path, 'sources', i], `${at('sources')}[${i}]`, 'must be an http(s) URL');
  });
  const see = strList('see');

  const owner = strList('owner') as Role[];
  owner.forEach((r, i) => {
    if (!(ROLES as readonly string[]).includes(r))
      src.fail([...path, 'owner', i], `${at('owner')}[${i}]`, `"${r}" is not one of ${ROLES.join(', ')}`);
  });

  const checks = strList('checks') as CheckName[];
  checks.forEach((c, i) => {
    if (!(CHECKS as readonly string[]).includes(c))
      src.fail([...path, 'checks', i], `${at('checks')}[${i}]`, `"${c}" is not one of ${CHECKS.join(', ')}`);
  });
  let checkDomain: KbEntry['checkDomain'] = null;
  if (raw.checkDomain !== undefined) {
    if (raw.checkDomain !== 'recipient' && raw.checkDomain !== 'sender')
      src.fail([...path, 'checkDomain'], at('checkDomain'), 'must be recipient or sender');
    else checkDomain = raw.checkDomain;
  }
  if (checks.length && !checkDomain)
    src.fail([...path, 'checks'], at('checkDomain'), 'entries with checks must say checkDomain: recipient or sender', 'checks');

  const solutions = readSolutions(src, [...path, 'solutions'], at('solutions'), raw.solutions);

  const examples = { match: [] as string[], nomatch: [] as string[] };
  if (raw.examples !== undefined) {
    if (!isObject(raw.examples)) src.fail([...path, 'examples'], at('examples'), 'must be a mapping with match and nomatch');
    else {
      for (const k of Object.keys(raw.examples))
        if (k !== 'match' && k !== 'nomatch') src.fail([...path, 'examples'], `${at('examples')}.${k}`, 'unknown key', k);
      for (const k of ['match', 'nomatch'] as const) {
        const list = raw.examples[k];
        if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x.trim())) {
          src.fail([...path, 'examples', k], `${at('examples')}.${k}`, 'needs at least one input (a list of strings)');
        } else examples[k] = list as string[];
      }
    }
  }

  if (!id || !title || !summary || !reason) return null;
  return {
    id,
    reason,
    codes,
    patterns,
    fallback,
    title,
    summary,
    causes,
    owner,
    solutions,
    checks,
    checkDomain,
    history,
    see,
    sources,
    examples,
    file: src.file,
    line: src.line(path),
  };
}

function readSolutions(src: Located, path: Path, key: string, raw: unknown): KbEntry['solutions'] {
  const out: KbEntry['solutions'] = { sender: [], admin: [] };
  if (raw === undefined) return out;
  if (!isObject(raw)) {
    src.fail(path, key, 'must be a mapping with sender and/or admin');
    return out;
  }
  for (const k of Object.keys(raw))
    if (k !== 'sender' && k !== 'admin') src.fail(path, `${key}.${k}`, 'unknown key (use sender or admin)', k);
  if (raw.sender === undefined && raw.admin === undefined) src.fail(path, key, 'needs sender or admin solutions');
  for (const audience of ['sender', 'admin'] as const) {
    const list = raw[audience];
    if (list === undefined) continue;
    const at = `${key}.${audience}`;
    if (!Array.isArray(list) || list.length === 0) {
      src.fail([...path, audience], at, 'must be a non-empty list of solutions');
      continue;
    }
    list.forEach((sol, i) => {
      const p = [...path, audience, i];
      const k = `${at}[${i}]`;
      if (!isObject(sol)) return src.fail(p, k, 'a solution must be a mapping with title and steps');
      for (const sk of Object.keys(sol))
        if (!['title', 'for', 'client', 'steps'].includes(sk)) src.fail(p, `${k}.${sk}`, 'unknown key', sk);
      if (typeof sol.title !== 'string' || !sol.title.trim()) src.fail(p, `${k}.title`, 'must be a non-empty string', 'title');
      if (sol.for !== undefined && !(ROLES as readonly unknown[]).includes(sol.for))
        src.fail([...p, 'for'], `${k}.for`, `must be one of ${ROLES.join(', ')}`);
      if (sol.client !== undefined && !(CLIENTS as readonly unknown[]).includes(sol.client))
        src.fail([...p, 'client'], `${k}.client`, `must be one of ${CLIENTS.join(', ')}`);
      const steps = readSteps(src, [...p, 'steps'], `${k}.steps`, sol.steps);
      const solution: Solution = { title: String(sol.title ?? '').trim(), steps };
      if (typeof sol.for === 'string') solution.for = sol.for as Role;
      if ((CLIENTS as readonly unknown[]).includes(sol.client)) solution.client = sol.client as Client;
      out[audience].push(solution);
    });
  }
  return out;
}

function readSteps(src: Located, path: Path, key: string, raw: unknown): Step[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    src.fail(path, key, 'must be a non-empty list of steps');
    return [];
  }
  return raw.map((step, i): Step => {
    if (typeof step === 'string' && step.trim()) return step.trim();
    if (isObject(step)) {
      for (const sk of Object.keys(step))
        if (sk !== 'text' && sk !== 'substeps') src.fail([...path, i], `${key}[${i}].${sk}`, 'unknown key', sk);
      const subs = step.substeps;
      if (typeof step.text === 'string' && Array.isArray(subs) && subs.length && subs.every((s) => typeof s === 'string' && s.trim())) {
        return { text: step.text.trim(), substeps: (subs as string[]).map((s) => s.trim()) };
      }
    }
    src.fail([...path, i], `${key}[${i}]`, 'a step is a string, or a mapping with text and a non-empty list of substeps');
    return '';
  });
}

/**
 * Checks that span entries (and files): unique ids, `see` links that resolve,
 * and at most one default entry per exact code.
 */
export function crossCheck(entries: KbEntry[], problems: Problem[]): void {
  const ids = new Map<string, KbEntry>();
  for (const e of entries) {
    const first = ids.get(e.id);
    if (first)
      problems.push({ file: e.file, line: e.line, key: `${e.id}.id`, message: `duplicate id (first at ${first.file}:${first.line})` });
    else ids.set(e.id, e);
  }
  for (const e of entries) {
    for (const s of e.see) {
      if (!ids.has(s)) problems.push({ file: e.file, line: e.line, key: `${e.id}.see`, message: `"${s}" is not an entry id` });
    }
  }
  const defaults = new Map<string, KbEntry>();
  for (const e of entries) {
    if (e.patterns.length && !e.fallback) continue;
    for (const r of e.codes) {
      const k = r.text.replace(/\s/g, '');
      const other = defaults.get(k);
      if (other) {
        problems.push({
          file: e.file,
          line: e.line,
          key: `${e.id}.codes`,
          message: `${k} already has a default entry (${other.id}); give one of them patterns`,
        });
      } else defaults.set(k, e);
    }
  }
}

/** Reads the registry file (the RFC 3463 fallback). */
export function validateRegistry(file: string, text: string, problems: Problem[]): Registry {
  const src = new Located(file, text, problems);
  const reg: Registry = { classes: new Map(), subjects: new Map(), details: new Map(), replyCodes: new Map(), sources: [] };
  const root = src.value;
  if (!isObject(root)) {
    src.fail([], 'registry', 'must be a mapping');
    return reg;
  }
  for (const k of Object.keys(root)) {
    if (!['sources', 'classes', 'subjects', 'details', 'replyCodes'].includes(k)) src.fail([], k, 'unknown key', k);
  }
  for (const [mapKey, target] of [
    ['classes', reg.classes],
    ['subjects', reg.subjects],
  ] as const) {
    const m = root[mapKey];
    if (!isObject(m)) {
      src.fail([], mapKey, 'must be a mapping', mapKey);
      continue;
    }
    for (const [k, v] of Object.entries(m)) {
      if (!isObject(v) || typeof v.name !== 'string' || typeof v.meaning !== 'string')
        src.fail([mapKey], `${mapKey}.${k}`, 'needs name and meaning', k);
      else target.set(Number(k), { name: v.name, meaning: v.meaning });
    }
  }
  const details = root.details;
  if (!Array.isArray(details)) src.fail([], 'details', 'must be a list', 'details');
  else {
    details.forEach((d, i) => {
      const m = isObject(d) && typeof d.code === 'string' ? /^X\.(\d{1,3})\.(\d{1,3})$/.exec(d.code) : null;
      if (!m || !isObject(d) || typeof d.name !== 'string' || !Array.isArray(d.reply) || typeof d.ref !== 'string') {
        src.fail(['details', i], `details[${i}]`, 'needs code (X.n.n), name, reply and ref');
        return;
      }
      reg.details.set(`${Number(m[1])}.${Number(m[2])}`, {
        code: String(d.code),
        name: d.name,
        replyCodes: d.reply.map(String),
        reference: d.ref,
      });
    });
  }
  const replies = root.replyCodes;
  if (!isObject(replies)) src.fail([], 'replyCodes', 'must be a mapping', 'replyCodes');
  else
    for (const [k, v] of Object.entries(replies)) {
      if (!/^[2-5]\d\d$/.test(k) || typeof v !== 'string')
        src.fail(['replyCodes'], `replyCodes.${k}`, 'must map a reply code to a meaning', k);
      else reg.replyCodes.set(k, { meaning: v });
    }
  if (Array.isArray(root.sources)) reg.sources = root.sources.filter((s): s is string => typeof s === 'string');
  return reg;
}
