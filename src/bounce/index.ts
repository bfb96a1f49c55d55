/** Bytes -> Bounce facts -> findings: what the CLI loads, in one import, when it reads a message. */
export { parseBounce, type ParseOptions } from './parse.js';
export { explainBounce, type BounceExplanation, type BounceFinding } from './explain.js';
export { useFullAddressPatterns } from './text-util.js';
