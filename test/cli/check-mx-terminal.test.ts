// `ndr check-mx` through bin/ndr.js in a real terminal (tmux) of 60, 80 and 120
// columns: the header, the table and the details fit, words whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNsd, type NsdServer } from '../helpers/nsd.js';
import { displayWidth, runNdrInTerminal } from '../helpers/terminal.js';

let nsd: NsdServer;
beforeAll(async () => {
  nsd = await startNsd();
});
afterAll(async () => {
  await nsd?.stop();
});

// A failure with a long fix and links, an SPF breakdown, and most checks failing.
const DOMAINS: Array<[domain: string, exit: number]> = [
  ['twomx.ndr-test.example', 5],
  ['toomany.ndr-test.example', 5],
  ['missing.ndr-test.example', 5],
];

describe('ndr check-mx fits the terminal', () => {
  for (const columns of [60, 80, 120]) {
    for (const [domain, exit] of DOMAINS) {
      it(`${columns} columns: ${domain}`, async () => {
        const r = await runNdrInTerminal(['check-mx', '--nameserver', nsd.nameserver, '--timeout', '2', domain], { columns, rows: 50 });
        expect(r.code).toBe(exit);
        expect(r.lines[0]).toBe(`Mail DNS of ${domain} for Exchange Online`);
        // Lines as written: none wider than the terminal, so it broke none of them.
        expect(r.lines.filter((l) => displayWidth(l) > columns)).toEqual([]);
        // Every check's row is there, its id whole.
        for (const id of ['mx-records', 'spf-lookups', 'autodiscover'])
          expect(
            r.lines.some((l) => new RegExp(`^  (PASS|WARN|FAIL|ERROR) +${id}( |$)`).test(l)),
            id,
          ).toBe(true);
        // A host name shorter than the line is never cut, even where it does not fit beside the label.
        if (domain.startsWith('toomany'))
          expect(r.lines.some((l) => l.includes('toomany-ndrtest-example.mail.protection.outlook.com'))).toBe(true);
      }, 40000);
    }
  }

  it('nothing answers: one line in a terminal too', async () => {
    const r = await runNdrInTerminal(['check-mx', '--nameserver', '127.0.0.1:9', '--timeout', '0.2', 'ok.ndr-test.example'], {
      columns: 80,
    });
    expect(r.code).toBe(4);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^ndr: nothing could be checked: no answer: 127\.0\.0\.1:9: /);
  }, 40000);
});
