/**
 * The phrase table's literals, computed at build time: `npm run build`
 * (scripts/build-kb.mjs) writes this module's compiled copy in dist/ with one
 * row per row of REASON_PHRASES, in order: its source's key and its top-level
 * alternatives with their literals, so that a CLI run does not work them out
 * again (cutting the rows and computing the literals took 12-48 ms of each
 * process that reads words). Here, in the source, the table is empty: tests
 * and the corpus script, which run from src/, compute them when first needed.
 * A row whose source is no longer the table's row is not used. The build
 * writes the rows as one JSON string, parsed only when words are read: as
 * ~400 array literals they were evaluated by every start, `explain 5.7.1` too.
 */
export const PRECOMPUTED_LITERALS_JSON: string | null = null;
