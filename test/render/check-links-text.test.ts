import { describe, expect, it } from 'vitest';
import { renderCheckCommands } from '../../src/render/check-links-text.js';
import { deadlineMessage } from '../../src/render/checks-text.js';
import { plainStyle } from '../../src/render/style.js';

const link = (command: string, domain: string | null) => ({ command, domain });
const block = (links: { command: string; domain: string | null }[], later = false, width = 79) =>
  renderCheckCommands(links, { style: plainStyle, width, later });

describe('renderCheckCommands (the "Check the DNS" block)', () => {
  it('lists the runnable commands under the heading, with how to run them', () => {
    expect(block([link('ndr check-mx contoso.com', 'contoso.com'), link('ndr check-mx fabrikam.example', 'fabrikam.example')])).toBe(
      '\nCheck the DNS\n  ndr check-mx contoso.com\n  ndr check-mx fabrikam.example\n  (or run ndr explain again with --check)',
    );
  });

  it('in a batch, says the results follow the last message', () => {
    expect(block([link('ndr check-mx contoso.com', 'contoso.com')], true)).toMatch(/\n {2}\(the results follow the last message\)$/);
  });

  it('leaves out a command with a placeholder, and is nothing when none is left', () => {
    const placeholder = link("ndr check-mx <the recipient's domain>", null);
    expect(block([placeholder])).toBeNull();
    expect(block([placeholder, link('ndr check-mx contoso.com', 'contoso.com')])).not.toContain('<the');
  });

  it('escapes control characters in a command', () => {
    expect(block([link('ndr check-mx evil\u001b[2J.example', 'evil.example')])).toContain('evil\\x1b[2J.example');
  });
});

describe('deadlineMessage', () => {
  it('counts the unanswered lookups of every report', () => {
    expect(
      deadlineMessage(2500, [
        { unanswered: 3, queries: 10 },
        { unanswered: 1, queries: 4 },
      ]),
    ).toBe('stopped at the overall DNS deadline of 2.5 s (--deadline): 4 of 14 lookups got no answer, so the results are incomplete');
  });
});
