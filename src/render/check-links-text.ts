import { sanitize } from './sanitize.js';
import type { Style } from './style.js';
import { wrap } from './wrap.js';

/**
 * The "Check the DNS" block of a human explanation: the `ndr check-mx`
 * commands its findings point to, or null when none can be run as it is (a
 * command with a placeholder, when the input does not name the domain, is not
 * printed). `later`: in a batch, the results follow the last message.
 */
export function renderCheckCommands(
  links: { command: string; domain: string | null }[],
  o: { style: Style; width: number; later: boolean },
): string | null {
  const runnable = links.filter((l) => l.domain);
  if (!runnable.length) return null;
  return [
    '',
    o.style.heading('Check the DNS'),
    ...runnable.map((l) => wrap(o.style.bold(sanitize(l.command)), o.width, '  ', '  ')),
    o.style.dim(o.later ? '  (the results follow the last message)' : '  (or run ndr explain again with --check)'),
  ].join('\n');
}
