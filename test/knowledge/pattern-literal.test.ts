/**
 * requiredLiteral: the plain text every match of a pattern contains, which
 * lets the matcher skip most patterns with a substring test. A wrong literal
 * would hide a match, so it is checked on rules and on the knowledge base's
 * own examples.
 */
import { describe, expect, it } from 'vitest';
import { foldSpace } from '../../src/knowledge/extract.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { requiredLiteral } from '../../src/knowledge/pattern-literal.js';

describe('requiredLiteral', () => {
  const ok = (source: string, expected: string | null) =>
    it(`${source} -> ${JSON.stringify(expected)}`, () => expect(requiredLiteral(source)).toBe(expected));
  ok('Submission quota exceeded', 'submission quota exceeded');
  ok('RESOLVER\\.ADR\\.RecipNotFound(; not found)?', 'resolver.adr.recipnotfound');
  // A quantified character may be absent: the run ends before it.
  ok('relay(ing)? (access )?denied', 'denied');
  ok('delivery not authori[sz]ed', 'delivery not authori');
  ok('ATTR?36', 'att');
  ok('colou?r mismatch', 'r mismatch');
  ok('e-?mail over IPv6', 'mail over ipv6');
  // Classes, lookarounds, wildcards and \s/\b/\d end a run.
  ok('over IPv6.{0,60}must pass at once', 'must pass at once');
  ok('sender was not authenticated(?! (by|for) )', 'sender was not authenticated');
  ok('\\bhost\\s+not\\s+found\\b', 'found');
  ok('message can.t be sent', 'message can');
  // Escapes that are not the character after the backslash.
  ok('\\x41BCDE', 'bcde');
  ok('\\u0041bcd', 'bcd');
  ok('\\cJabc', 'abc');
  // No required literal: a top-level alternation, or nothing of three characters.
  ok("(don't|do not) have permission", ' have permission');
  ok('mailbox full|quota exceeded', null);
  ok('ab|c', null);
  ok('[0-9]{3}', null);
  ok('a?b?c?d?', null);
  ok('ab', null);
});

describe('on the knowledge base: where a pattern matches, its literal is in the text', () => {
  const kb = loadKnowledgeBase();
  const texts = kb.entries.flatMap((e) => [...e.examples.match, ...e.examples.nomatch]).map(foldSpace);
  const patterns = kb.entries.flatMap((e) => e.patterns);

  it(`${patterns.length} patterns x ${texts.length} example texts`, () => {
    let hits = 0;
    let withLiteral = 0;
    for (const p of patterns) {
      const literal = requiredLiteral(p.source);
      if (literal !== null) withLiteral++;
      for (const text of texts) {
        if (!p.test(text)) continue;
        hits++;
        if (literal !== null) expect(text.toLowerCase(), `${p.source} on ${text}`).toContain(literal);
      }
    }
    // The test means something only if many patterns have a literal and match examples.
    expect(withLiteral).toBeGreaterThan(patterns.length * 0.9);
    expect(hits).toBeGreaterThan(200);
  });
});
