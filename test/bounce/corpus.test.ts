/**
 * Guards the parser's accuracy on the shared corpus of 514 real bounces
 * (../shared/corpus beside the clone; `npm run corpus` prints the same scores).
 * The floors are the levels reached; raise them when the parser gets better.
 * The few misses left are slips in the manifest (an expected address that
 * occurs nowhere in the message); `npm run corpus -- --misses` lists them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { locateCorpus, rate, scoreCorpus, type CorpusScore } from '../../scripts/corpus-score.js';
import { parseBounce } from '../../src/bounce/parse.js';
import { ROOT } from '../helpers/cli.js';

const FLOOR = {
  status: 384 / 384,
  recipient: 529 / 538,
  microsoftStatus: 39 / 39,
  microsoftRecipient: 48 / 49,
};

describe('bounce corpus accuracy', () => {
  let score: CorpusScore;
  beforeAll(async () => {
    score = await scoreCorpus(locateCorpus(ROOT), (bytes) => parseBounce(bytes));
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

  it('does at least as well on the Microsoft subset', () => {
    expect(rate(score.microsoftStatus)).toBeGreaterThanOrEqual(FLOOR.microsoftStatus);
    expect(rate(score.microsoftRecipient)).toBeGreaterThanOrEqual(FLOOR.microsoftRecipient);
  });

  it('never reproduces the placeholder codes of mails that have none', () => {
    expect(score.pseudoReproduced).toBe(0);
  });
});
