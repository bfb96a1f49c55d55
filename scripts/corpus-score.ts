/**
 * Scores the bounce parser against the shared corpus (../shared/corpus, see
 * its README): status exact match over entries whose code stands in the mail,
 * recipient match over every entry with a recipient, and the Microsoft subset.
 * Used by scripts/corpus.ts (prints) and test/bounce/corpus.test.ts (guards).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMbox, splitMbox } from '../src/bounce/mbox.js';
import type { Bounce, BounceRecipient } from '../src/bounce/types.js';
import { sameReason, toReason } from '../src/knowledge/reasons.js';
import type { KnowledgeBase } from '../src/knowledge/types.js';

export interface ExpectedEntry {
  status: string;
  status_kind: 'dsn-status-field' | 'text-only' | 'sisimai-pseudo' | 'none';
  replycode: string;
  recipient?: string;
  /** sisimai's reason for this entry. */
  reason?: string;
}

export interface ManifestFile {
  file: string;
  expected: ExpectedEntry[];
  microsoft?: unknown;
}

export interface Rate {
  hit: number;
  total: number;
}

export interface Miss {
  file: string;
  what: 'status' | 'recipient' | 'reason';
  /** Which expected entry of the file (0-based). */
  index: number;
  expected: string;
  got: string | null;
}

export interface CorpusScore {
  files: number;
  status: Rate;
  recipient: Rate;
  /** ndr's reason against sisimai's, over every entry the manifest gives a reason (when scored). */
  reason: Rate;
  microsoftStatus: Rate;
  microsoftRecipient: Rate;
  /** Entries without a code in the mail where ndr reported one that is not in the mail (should be 0). */
  pseudoReproduced: number;
  misses: Miss[];
  errors: { file: string; message: string }[];
}

/** The corpus lives beside the clone: <repo>/../shared/corpus. */
export function locateCorpus(repoRoot: string): string {
  const dir = resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`bounce corpus not found at ${dir} (expected ../shared/corpus/manifest.json beside the repository)`);
  }
  return dir;
}

export function rate(r: Rate): number {
  return r.total ? r.hit / r.total : 1;
}

const SCORED_KINDS = new Set(['dsn-status-field', 'text-only']);

/** ndr's reason for each recipient record of a bounce (explainBounce's findings). */
export type ReasonsOf = (bounce: Bounce) => ReadonlyMap<BounceRecipient, string>;

export async function scoreCorpus(dir: string, parse: (bytes: Buffer) => Promise<Bounce>, reasonsOf?: ReasonsOf): Promise<CorpusScore> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestFile[];
  const score: CorpusScore = {
    files: manifest.length,
    status: { hit: 0, total: 0 },
    recipient: { hit: 0, total: 0 },
    reason: { hit: 0, total: 0 },
    microsoftStatus: { hit: 0, total: 0 },
    microsoftRecipient: { hit: 0, total: 0 },
    pseudoReproduced: 0,
    misses: [],
    errors: [],
  };
  for (const entry of manifest) {
    // Read the file as ndr explain does: an mbox is split into its messages.
    const bytes = readFileSync(join(dir, entry.file));
    const recs: BounceRecipient[] = [];
    const reasons = new Map<BounceRecipient, string>();
    for (const message of isMbox(bytes) ? splitMbox(bytes) : [bytes]) {
      try {
        const bounce = await parse(message);
        recs.push(...bounce.recipients);
        if (reasonsOf) for (const [r, reason] of reasonsOf(bounce)) reasons.set(r, reason);
      } catch (e) {
        score.errors.push({ file: entry.file, message: (e as Error).message });
      }
    }
    const unused = [...recs];
    const ms = Boolean(entry.microsoft);
    entry.expected.forEach((exp, i) => {
      const same = exp.recipient ? recs.find((r) => r.recipient?.toLowerCase() === exp.recipient!.toLowerCase()) : undefined;
      if (exp.recipient) {
        const at = unused.findIndex((r) => r.recipient?.toLowerCase() === exp.recipient!.toLowerCase());
        const ok = at >= 0;
        if (ok) unused.splice(at, 1);
        score.recipient.total++;
        if (ok) score.recipient.hit++;
        if (ms) {
          score.microsoftRecipient.total++;
          if (ok) score.microsoftRecipient.hit++;
        }
        if (!ok)
          score.misses.push({
            file: entry.file,
            what: 'recipient',
            index: i,
            expected: exp.recipient,
            got: recs.map((r) => r.recipient).join(', ') || null,
          });
      }
      const rec = same ?? recs[i] ?? null;
      const expectedReason = reasonsOf && exp.reason ? toReason(exp.reason) : null;
      if (expectedReason) {
        const got = rec ? (reasons.get(rec) ?? null) : null;
        const gotReason = got ? toReason(got) : null;
        const ok = gotReason !== null && sameReason(gotReason, expectedReason);
        score.reason.total++;
        if (ok) score.reason.hit++;
        else score.misses.push({ file: entry.file, what: 'reason', index: i, expected: expectedReason, got });
      }
      if (SCORED_KINDS.has(exp.status_kind)) {
        const ok = rec?.status === exp.status;
        score.status.total++;
        if (ok) score.status.hit++;
        if (ms) {
          score.microsoftStatus.total++;
          if (ok) score.microsoftStatus.hit++;
        }
        if (!ok) score.misses.push({ file: entry.file, what: 'status', index: i, expected: exp.status, got: rec?.status ?? null });
      } else if (exp.status_kind === 'sisimai-pseudo' && rec?.status && !rec.statusInferred && rec.status === exp.status) {
        score.pseudoReproduced++;
      }
    });
  }
  return score;
}

/** ReasonsOf from the knowledge base and explainBounce: each record's first finding gives its reason. */
export function reasonsWith(
  kb: KnowledgeBase,
  explain: (kb: KnowledgeBase, bounce: Bounce) => { findings: { finding: { reason: string }; record: BounceRecipient }[] },
): ReasonsOf {
  return (bounce) => {
    const out = new Map<BounceRecipient, string>();
    for (const f of explain(kb, bounce).findings) if (!out.has(f.record)) out.set(f.record, f.finding.reason);
    return out;
  };
}
