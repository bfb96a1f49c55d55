/**
 * Limits on a knowledge-base directory, which may come from anyone (`--kb`,
 * NDR_KB): each keeps a hostile directory from taking unbounded time, memory
 * or output. The bundled knowledge base is far inside all of them
 * (README.md, "Limits").
 */

/** YAML files read from one directory. */
export const MAX_KB_FILES = 200;
/** Entries in one file (the bundled files hold about 40 each). */
export const MAX_KB_ENTRIES = 2_000;
/**
 * Rough count of YAML nodes in one file, taken before parsing: the YAML
 * parser spends about 3 µs a node, so a 2 MB file of `- {}` lines took 10 s.
 */
export const MAX_KB_NODES = 100_000;
/** Problems collected before the files left are not read (the report shows 50 and counts the rest). */
export const MAX_KB_PROBLEMS_KEPT = 10_000;

/**
 * An upper bound on the nodes a YAML text can hold, cheap to take: on one
 * line, more than a few nodes need flow syntax ({, [ or ,).
 */
export function roughNodeCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10)
      n += 3; // a line: "- key: value" at most
    else if (c === 44 || c === 91 || c === 123) n += 1; // , [ {
  }
  return n + 3;
}
