/**
 * The TypeScript pieces the benchmark reuses, bundled by scripts/bench.mjs
 * with esbuild at start-up (the bench itself is plain Node, no build step):
 * the corpus scoring of `npm run corpus` and the DNS servers of the tests.
 */
export { isMbox, splitMbox } from '../../src/bounce/mbox.js';
export { locateCorpus, rate, scoreCorpus } from '../corpus-score.js';
export { startDnsServer } from '../../test/helpers/dns-server.js';
export { startNsd } from '../../test/helpers/nsd.js';
