import type { Problem } from '../knowledge/validate.js';

/** The JSON document of `ndr kb lint --json`: the directory, what was read and every problem. */
export function kbLintJson(dir: string, files: number, entries: number, problems: Problem[]) {
  return { schemaVersion: 1, dir, files, entries, problems };
}
