import { describe, expect, it } from 'vitest';
import { crossCheck, validateKbFile, type Problem } from '../../src/knowledge/validate.js';

const entry = (extra: string) => `entries:
  - id: sample-entry
    reason: securityerror
    codes: ["5.7.1"]
    title: T
    summary: S
    causes: [c]
    owner: [sender]
    solutions:
      sender:
        - title: t
          steps: [s]
    sources: [https://example.com/x]
    examples: { match: ["5.7.1"], nomatch: ["5.1.1"] }
${extra}`;

function problemsOf(text: string): Problem[] {
  const problems: Problem[] = [];
  validateKbFile('kb.yaml', text, problems);
  return problems;
}

describe('knowledge-base schema', () => {
  it('accepts a complete entry', () => {
    expect(problemsOf(entry(''))).toEqual([]);
  });

  it('rejects an unknown key and names file, line and key', () => {
    expect(problemsOf(entry('    severity: high\n'))).toEqual([
      { file: 'kb.yaml', line: 15, key: 'sample-entry.severity', message: 'unknown key' },
    ]);
  });

  it('rejects a missing required key', () => {
    const text = entry('').replace('    summary: S\n', '');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: 2, key: 'sample-entry.summary', message: 'missing required key' })]);
  });

  it.each([
    ['codes: ["5.7"]', 'sample-entry.codes[0]', /not a code/],
    ['codes: ["5.7.649-606"]', 'sample-entry.codes[0]', /not a code/],
    ['owner: [boss]', 'sample-entry.owner[0]', /not one of/],
    ['sources: [somewhere]', 'sample-entry.sources[0]', /http/],
    ['id: Not_Kebab', 'Not_Kebab.id', /kebab-case/],
    ['reason: nosuchreason', 'sample-entry.reason', /one of sisimai's reasons/],
    ['reason: [userunknown]', 'sample-entry.reason', /one of sisimai's reasons/],
  ])('rejects %s', (line, key, message) => {
    const [field] = line.split(':');
    const text = entry('').replace(new RegExp(`(  - |    )${field}: .*\\n`), `$1${line}\n`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe(key);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.line).toBeGreaterThan(1);
  });

  it('rejects unsafe and invalid patterns', () => {
    const problems = problemsOf(entry(`    patterns:\n      - '(a+)+b'\n      - 'foo.*bar'\n      - '(x'\n`));
    expect(problems.map((p) => [p.key, p.line])).toEqual([
      ['sample-entry.patterns[0]', 16],
      ['sample-entry.patterns[1]', 17],
      ['sample-entry.patterns[2]', 18],
    ]);
  });

  it('requires a reason', () => {
    const text = entry('').replace('    reason: securityerror\n', '');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ key: 'sample-entry.reason', message: 'missing required key' })]);
  });

  it.each([
    ['mailboxfull', 'mailboxfull'],
    ['MailboxFull', 'mailboxfull'],
    ['emailtoolarge', 'mesgtoobig'],
    ['ratelimited', 'toomanyconn'],
  ])('reads reason %s as %s (any case, newer names as aliases)', (given, stored) => {
    const problems: Problem[] = [];
    const [e] = validateKbFile('kb.yaml', entry('').replace('reason: securityerror', `reason: ${given}`), problems);
    expect(problems).toEqual([]);
    expect(e!.reason).toBe(stored);
  });

  it('rejects YAML aliases and duplicate keys', () => {
    expect(problemsOf('entries: &a []\nother: *a\n').length).toBeGreaterThan(0);
    expect(problemsOf(entry('    title: again\n'))[0]!.message).toMatch(/unique|duplicate/i);
  });

  it('needs a positive and a negative example', () => {
    const text = entry('').replace('examples: { match: ["5.7.1"], nomatch: ["5.1.1"] }', 'examples: { match: ["5.7.1"] }');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ key: 'sample-entry.examples.nomatch' })]);
  });

  it('finds duplicate ids and two defaults for one code across files', () => {
    const problems: Problem[] = [];
    const a = validateKbFile('a.yaml', entry(''), problems);
    const b = validateKbFile('b.yaml', entry(''), problems);
    crossCheck([...a, ...b], problems);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/duplicate id \(first at a.yaml:2\)/),
      expect.stringMatching(/5.7.1 already has a default entry/),
    ]);
  });
});
