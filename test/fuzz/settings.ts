/**
 * Run counts and seed for the property tests. `npm test` runs a small, fixed
 * number of cases with a fixed seed, so a failure reproduces; `npm run fuzz`
 * runs many more. NDR_FUZZ_RUNS sets the count for every target (and
 * NDR_FUZZ_SEED the seed); fast-check prints seed and path of a failure, and
 * `fc.assert(..., { seed, path })` replays it.
 */
import type { Parameters } from 'fast-check';

const LONG_RUN_DEFAULT = 100_000;
const longRun = process.env.npm_lifecycle_event === 'fuzz';
const envRuns = process.env.NDR_FUZZ_RUNS ? Number(process.env.NDR_FUZZ_RUNS) : null;

export const FUZZ_SEED = process.env.NDR_FUZZ_SEED ? Number(process.env.NDR_FUZZ_SEED) : 20_261_122;

/** `quick` is the count for `npm test`, chosen so that the fuzz suite stays well under 40 s. */
export function fuzzParams<T>(quick: number): Parameters<T> {
  const numRuns = envRuns && envRuns > 0 ? envRuns : longRun ? LONG_RUN_DEFAULT : quick;
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

/** A test timeout that grows with the run count (about `msPerRun` each). */
export function fuzzTimeout(quick: number, msPerRun: number): number {
  const runs = fuzzParams(quick).numRuns ?? quick;
  return Math.max(30_000, runs * msPerRun);
}
