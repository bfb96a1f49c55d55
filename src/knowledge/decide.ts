/**
 * Decides one code's (or one text's) entry and reason from both what the code
 * says and what the words say (knowledge/README.md, "How an entry is chosen"):
 *
 * - a pattern of an entry for the code (code and words agree) decides;
 * - Microsoft's own codes (three-digit details such as 5.7.5xx, 5.4.300) and
 *   codes that come with Exchange's tokens (RESOLVER.*, ROUTING.*, AS(...))
 *   stay authoritative: Exchange Online uses them consistently;
 * - otherwise words that name a cause (reason-words.ts) beat a code-only
 *   match whose entry is about another cause, and a generic code (detail 0:
 *   5.0.0, 4.0.0, 5.1.0 ...) never blocks the words; the code's entry is kept
 *   as "see also";
 * - words without a code select the entry kept for their reason.
 *
 * Pure: the same facts, knowledge base and words reader give the same answer.
 * The words reader (reason-words.ts' reasonFromWords) is a parameter, so that
 * explaining a bare code never loads the phrase table: a bare code has no words.
 */
import { formatCode, isExact, parseCode, rangeCovers, type EnhancedCode } from './codes.js';
import { foldSpace, hasTokens } from './extract.js';
import { firstPatternMatch, matchEntry, type EntryMatch } from './match.js';
import { REASON_CODES, REASON_ENTRIES, reasonFromProviderCode, reasonFromReply, reasonFromStatus } from './reason-codes.js';
import type { WordsReason } from './reason-words.js';
import { sameReason, WEAK_REASONS, type Reason } from './reasons.js';
import type { KbEntry, KnowledgeBase } from './types.js';

/** The entry the code pointed to when the words chose another one. */
export interface SeeAlso {
  entry: KbEntry;
  /** The code that pointed to it. */
  code: string;
}

/** What the words of a text name as the cause (reason-words.ts' reasonFromWords), or null. */
export type WordsReader = (text: string) => WordsReason | null;

/** The reader of a bare code's words, which has none (decide never asks it: see getWords). */
export const NO_WORDS: WordsReader = () => null;

export interface Decision {
  match: EntryMatch | null;
  reason: Reason;
  seeAlso: SeeAlso | null;
}

/** Exchange Online's own codes mean the same thing every time: their entry stands whatever the words say. */
function authoritative(code: EnhancedCode, text: string, bare: boolean): boolean {
  // A bare code has no words, so no Exchange token either (each has letters).
  return code.detail >= 100 || (!bare && hasTokens(text));
}

function generic(code: EnhancedCode): boolean {
  return code.detail === 0;
}

/** Each knowledge base's entries with patterns by the reason they give (sameReason), in its order: built once for each reason. */
const patternEntriesByReason = new WeakMap<KnowledgeBase, Map<Reason, KbEntry[]>>();

function patternEntriesOf(kb: KnowledgeBase, reason: Reason): readonly KbEntry[] {
  let byReason = patternEntriesByReason.get(kb);
  if (!byReason) patternEntriesByReason.set(kb, (byReason = new Map()));
  let list = byReason.get(reason);
  if (!list) byReason.set(reason, (list = kb.entries.filter((e) => sameReason(e.reason, reason) && e.patterns.length > 0)));
  return list;
}

/** The entry for words that name `reason`: one of that reason whose own pattern matches, else the one kept under the reason's codes. */
function wordsEntry(kb: KnowledgeBase, words: WordsReason, text: string, code: EnhancedCode | null): EntryMatch | null {
  const lower = text.toLowerCase();
  let best: EntryMatch | null = null;
  for (const entry of patternEntriesOf(kb, words.reason)) {
    const hit = firstPatternMatch(entry, text, lower);
    if (hit !== null && (!best || hit.length > best.matched.length)) best = { entry, tier: 'words', matched: hit };
  }
  if (best) return best;
  for (const c of REASON_CODES[words.reason] ?? []) {
    // Prefer the finding's own class: a 4.x.x (temporary) failure under 4.2.2 rather than 5.2.2.
    const tries = code && code.cls !== Number(c[0]) ? [`${code.cls}${c.slice(1)}`, c] : [c];
    for (const status of tries) {
      const m = matchEntry(kb, { status, text });
      if (m && sameReason(m.entry.reason, words.reason)) return { entry: m.entry, tier: 'words', matched: words.matched };
    }
  }
  const general = kb.byId.get(REASON_ENTRIES[words.reason] ?? '');
  return general && sameReason(general.reason, words.reason) ? { entry: general, tier: 'words', matched: words.matched } : null;
}

/**
 * A code with no default entry, only variants that need their words (5.4.4):
 * the variant whose reason is the one the code itself stands for (sisimai's
 * table) explains the bare code, so that `ndr codes 5.4.4` and `ndr explain
 * 5.4.4` agree.
 */
export function codeReasonVariant(kb: KnowledgeBase, code: EnhancedCode): EntryMatch | null {
  const own = reasonFromStatus(formatCode(code));
  if (!own) return null;
  for (const entry of kb.entries) {
    if (entry.patterns.length && sameReason(entry.reason, own) && entry.codes.some((r) => isExact(r) && rangeCovers(r, code))) {
      return { entry, tier: 'exact', matched: formatCode(code) };
    }
  }
  return null;
}

/**
 * Reasons of an entry that give way to words naming a narrower cause
 * (reference/bounce-reasons.md §3.3-3.4): a local delivery program's own
 * error is read before anything else; a failed DNS lookup, or a domain
 * that says it takes no mail (null MX), is not a missing domain.
 */
const GIVES_WAY: Partial<Record<Reason, ReadonlySet<Reason>>> = {
  hostunknown: new Set<Reason>(['networkerror', 'notaccept', 'mailererror']),
  userunknown: new Set<Reason>(['mailererror']),
  // An entry about a refused address that may be the sender's or the recipient's (5.1.0): words about the recipient tell which.
  rejected: new Set<Reason>(['userunknown']),
};

/** A domain that could not be found for now (a 4.x.x failure) is a DNS or network problem, not a missing domain. */
function temporary(reason: Reason, code: EnhancedCode | null): Reason {
  return reason === 'hostunknown' && code?.cls === 4 ? 'networkerror' : reason;
}

/** Text that is nothing but codes ("5.4.4", "550 5.4.4"). */
function isBare(text: string): boolean {
  return text.replace(/[245]\d\d|#?[245]\.\d{1,3}\.\d{1,3}|[\s-]/g, '') === '';
}

/** The reason of a finding: its entry's, unless that is weak and the words tell more; then the code's. */
function reasonOf(entry: KbEntry | null, words: WordsReason | null, status: string | null, replyCode: string | null, text: string): Reason {
  if (entry && !WEAK_REASONS.has(entry.reason)) return entry.reason;
  if (words) return words.reason;
  const byStatus = reasonFromStatus(status);
  if (entry) return byStatus && !WEAK_REASONS.has(byStatus) ? byStatus : entry.reason;
  return byStatus ?? reasonFromReply(replyCode) ?? (text ? 'onhold' : 'undefined');
}

/** What the words tell: a definite cause in the fact's own words, else in its context, else a weak one. */
function wordsOf(readWords: WordsReader, text: string, context: string | undefined): WordsReason | null {
  const own = readWords(text);
  if (own && !WEAK_REASONS.has(own.reason)) return own;
  const around = context ? readWords(foldSpace(context)) : null;
  return around && !WEAK_REASONS.has(around.reason) ? around : own;
}

/**
 * `context`: the words around the fact that are not its own, such as the
 * Exchange wrapper's ("detected as spam -> 554 5.7.1 Service unavailable"):
 * they tell the cause when the fact's own words do not. `readWords` reads
 * them (reason-words.ts' reasonFromWords; NO_WORDS for a bare code).
 */
export function decide(
  kb: KnowledgeBase,
  fact: { status: string | null; replyCode?: string | null; text: string; context?: string },
  readWords: WordsReader,
): Decision {
  const decision = decideEntry(kb, fact, readWords);
  // A provider's own error code (Cox's AUP#..., Orange's OFR_...) names the cause: the reason is its, the entry stays.
  const provider = fact.text ? reasonFromProviderCode(fact.text) : null;
  return provider ? { ...decision, reason: provider } : decision;
}

function decideEntry(
  kb: KnowledgeBase,
  fact: { status: string | null; replyCode?: string | null; text: string; context?: string },
  readWords: WordsReader,
): Decision {
  const text = foldSpace(fact.text);
  const code = fact.status ? parseCode(fact.status) : null;
  const status = code ? fact.status : null;
  const bare = isBare(text);
  const byCode = matchEntry(kb, { status, text }) ?? (code && bare ? codeReasonVariant(kb, code) : null);
  const replyCode = fact.replyCode ?? null;
  // The phrase table runs only when its answer is needed: not for a bare code (`ndr explain 5.7.1` starts
  // fast), nor when an entry with a definite reason stands anyway.
  let read: WordsReason | null | undefined;
  const getWords = () =>
    read === undefined ? (read = bare && !fact.context ? null : wordsOf(readWords, bare ? '' : text, fact.context)) : read;
  // `final`: Microsoft's own codes, used consistently by Exchange Online: their entry's reason stands as it is.
  const keep = (match: EntryMatch | null, final = false): Decision => {
    const reason =
      match && !WEAK_REASONS.has(match.entry.reason)
        ? match.entry.reason
        : reasonOf(match?.entry ?? null, getWords(), status, replyCode, text);
    const words = GIVES_WAY[reason] && !final ? getWords() : null;
    return { match, reason: temporary(words && GIVES_WAY[reason]!.has(words.reason) ? words.reason : reason, code), seeAlso: null };
  };

  if (!code) {
    if (byCode) return keep(byCode);
    const words = getWords();
    return keep(words ? wordsEntry(kb, words, text, null) : null);
  }
  // Microsoft's own codes, and the entry's own pattern (its words and its code agree), decide.
  if (byCode && authoritative(code, text, bare)) return keep(byCode, !WEAK_REASONS.has(byCode.entry.reason));
  if (byCode && byCode.tier === 'pattern') return keep(byCode);
  const words = getWords();
  const strong = words && !WEAK_REASONS.has(words.reason) ? words : null;
  // Words that override: any words over a generic code or no entry; over a specific code's entry only words
  // that name a definite cause, other than the entry's.
  const over = !byCode || generic(code) ? words : strong;
  if (!over || (byCode && sameReason(byCode.entry.reason, over.reason))) return keep(byCode);
  const found = wordsEntry(kb, over, text, code);
  if (found)
    return { match: found, reason: temporary(over.reason, code), seeAlso: byCode ? { entry: byCode.entry, code: fact.status! } : null };
  // No entry for the words' cause: a weak (catch-all) entry of the code still explains the code.
  if (!byCode || WEAK_REASONS.has(byCode.entry.reason))
    return { match: byCode, reason: reasonOf(byCode?.entry ?? null, over, status, replyCode, text), seeAlso: null };
  return { match: null, reason: over.reason, seeAlso: { entry: byCode.entry, code: fact.status! } };
}

/**
 * True when `ndr explain CODE` with a bare code never gives this entry: it is
 * a variant chosen only by its words (`ndr codes` says so, so that listing
 * and explaining agree).
 */
export function needsWords(kb: KnowledgeBase, entry: KbEntry): boolean {
  if (!entry.patterns.length || entry.fallback) return false;
  return !entry.codes.some((r) => isExact(r) && decide(kb, { status: r.text, text: '' }, NO_WORDS).match?.entry === entry);
}
