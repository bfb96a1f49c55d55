/**
 * The phrase table's literals, computed at build time: `npm run build`
 * (scripts/build-kb.mjs) writes this module's compiled copy in dist/ with one
 * row per alternative of REASON_PHRASES, so that a CLI run does not work them
 * out again (computing them took 12-48 ms of each process that reads words).
 * Here, in the source, the table is empty: tests and the corpus script,
 * which run from src/, compute each alternative's literals when first needed.
 * A row whose source no longer matches an alternative is not used. The build
 * writes the rows as one JSON string, parsed only when words are read: as
 * ~400 array literals they were evaluated by every start, `explain 5.7.1` too.
 */
export const PRECOMPUTED_LITERALS_JSON: string | null = null;
