/**
 * The words of Exchange's phrases (exchange-patterns.ts phraseWords), computed
 * at build time: `npm run build` (scripts/build-kb.mjs) writes this module's
 * compiled copy in dist/, one row per phrase in the order exchange-patterns.ts
 * reads them, so that a run that reads a message does not split and sort
 * every phrase of every language again (~2-3 ms and 250 KB of garbage at each
 * start). Here, in the source, the table is empty: tests and the corpus
 * script, which run from src/, compute the words. A row with a word its
 * phrase lacks is not used (exchange-patterns.ts wordsFrom).
 */
export const PRECOMPUTED_PHRASE_WORDS_JSON: string | null = null;
