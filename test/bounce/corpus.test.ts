/**
 * Guards the parser's accuracy on the shared corpus of 514 real bounces
 * (../shared/corpus beside the clone; `npm run corpus` prints the same scores).
 * The floors are the levels reached; raise them when the parser gets better.
 * The few misses left are slips in the manifest (an expected address that
 * occurs nowhere in the message); `npm run corpus -- --misses` lists them.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateCorpus, rate, reasonsWith, scoreCorpus, type CorpusScore } from '../../scripts/corpus-score.js';
import { explainBounce } from '../../src/explain/bounce.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { ROOT } from '../helpers/cli.js';

/**
 * The reasons where ndr and sisimai disagree, each with why (mostly: sisimai
 * takes the reason from its parser for one MTA or provider, or from the SMTP
 * stage, where the words of the reply name another cause).
 */
interface Disagreement {
  file: string;
  index: number;
  expected: string;
  got: string | null;
  why: string;
}
const DISAGREEMENTS = JSON.parse(readFileSync(new URL('./corpus-reason-disagreements.json', import.meta.url), 'utf8')) as Disagreement[];

const FLOOR = {
  status: 384 / 384,
  recipient: 529 / 538,
  reason: 523 / 544,
  microsoftStatus: 39 / 39,
  microsoftRecipient: 48 / 49,
};

describe('bounce corpus accuracy', () => {
  let score: CorpusScore;
  beforeAll(async () => {
    const kb = loadKnowledgeBase();
    score = await scoreCorpus(locateCorpus(ROOT), (bytes) => parseBounce(bytes), reasonsWith(kb, explainBounce));
  }, 120_000);

  const misses = (what: string) => () =>
    score.misses
      .filter((m) => m.what === what)
      .map((m) => `${m.file}: expected ${m.expected}, got ${m.got}`)
      .join('\n');

  it('parses every file', () => {
    expect(score.errors).toEqual([]);
  });

  it('matches the status code of every entry whose code stands in the mail', () => {
    expect(rate(score.status), misses('status')()).toBeGreaterThanOrEqual(FLOOR.status);
  });

  it('finds the failed recipients', () => {
    expect(rate(score.recipient), misses('recipient')()).toBeGreaterThanOrEqual(FLOOR.recipient);
    expect(rate(score.recipient)).toBeGreaterThanOrEqual(0.97);
  });

  it("agrees with sisimai's reason, and every disagreement is listed with why", () => {
    expect(rate(score.reason)).toBeGreaterThanOrEqual(FLOOR.reason);
    const listed = new Set(DISAGREEMENTS.map((d) => `${d.file} [${d.index}] ${d.expected} -> ${d.got}`));
    const unlisted = score.misses
      .filter((m) => m.what === 'reason')
      .map((m) => `${m.file} [${m.index}] ${m.expected} -> ${m.got}`)
      .filter((k) => !listed.has(k));
    expect(unlisted).toEqual([]);
    for (const d of DISAGREEMENTS) expect(d.why.length, `${d.file}: why`).toBeGreaterThan(20);
  });

  it('does at least as well on the Microsoft subset', () => {
    expect(rate(score.microsoftStatus)).toBeGreaterThanOrEqual(FLOOR.microsoftStatus);
    expect(rate(score.microsoftRecipient)).toBeGreaterThanOrEqual(FLOOR.microsoftRecipient);
  });

  it('never reproduces the placeholder codes of mails that have none', () => {
    expect(score.pseudoReproduced).toBe(0);
  });
});
