/**
 * DNS names as they are on the wire (issue 17, item 6): an MX target that is
 * one label holding dots is kept as one label, shown escaped (RFC 4343 §2.1),
 * fails mx-target, and mx-resolves asks for that name, not for the
 * four-label name its text looks like. Our own DNS server answers with bytes
 * built here, since a zone file or dns-packet cannot say such a label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startDnsServer, type DnsTestServer, type RawQuery } from '../helpers/dns-server.js';

const DOMAIN = 'dotted.ndr-test.example';
const DOTTED_LABEL = 'example-test.mail.protection.outlook.com';

function labelsOf(name: string[]): Buffer {
  return Buffer.concat([...name.map((l) => Buffer.concat([Buffer.of(l.length), Buffer.from(l, 'latin1')])), Buffer.of(0)]);
}

/** The question's labels, read from the query's own bytes. */
function questionOf(msg: Buffer): { labels: string[]; end: number; type: number } {
  const labels: string[] = [];
  let at = 12;
  while (msg[at]! > 0) {
    labels.push(msg.toString('latin1', at + 1, at + 1 + msg[at]!));
    at += 1 + msg[at]!;
  }
  return { labels, end: at + 5, type: msg.readUInt16BE(at + 1) };
}

function reply(q: RawQuery, rcode: number, answers: Buffer[]): Buffer {
  const { end } = questionOf(q.bytes);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(0x8580 | rcode, 2); // QR, AA, RD, RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, q.bytes.subarray(12, end), ...answers]);
}

/** A record owned by the question name (pointer to offset 12). */
function record(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(300, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

let server: DnsTestServer;
const asked: { labels: string[]; type: number }[] = [];

beforeAll(async () => {
  server = await startDnsServer({
    raw: (q) => {
      const { labels, type } = questionOf(q.bytes);
      asked.push({ labels, type });
      const name = labels.join('.').toLowerCase();
      if (type === 15 && name === DOMAIN) {
        return { send: [reply(q, 0, [record(15, Buffer.concat([Buffer.of(0, 0), labelsOf([DOTTED_LABEL])]))])] };
      }
      // The four-label name has an address: a client that re-splits the label would find it.
      if (type === 1 && labels.length === 5 && name === DOTTED_LABEL) return { send: [reply(q, 0, [record(1, Buffer.of(192, 0, 2, 7))])] };
      if (labels.length === 1 && labels[0] === DOTTED_LABEL) return { send: [reply(q, 3, [])] }; // NXDOMAIN
      return { send: [reply(q, 0, [])] };
    },
  });
});

afterAll(async () => {
  await server?.close();
});

describe('an MX target that is one label holding dots', () => {
  it('fails mx-target and mx-resolves, asks for the one-label name, and shows it escaped', async () => {
    asked.length = 0;
    const r = await runCli(['check-mx', '--json', '--nameserver', server.nameserver, '--timeout', '2', DOMAIN]);
    const report = JSON.parse(r.stdout) as {
      checks: { id: string; status: string; message: string; evidence: { name: string; type: string; value: string }[] }[];
    };
    const check = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(check('mx-records').status).toBe('pass');
    expect(check('mx-target').status).toBe('fail');
    expect(check('mx-target').message).toContain('example-test\\.mail\\.protection\\.outlook\\.com is not a host name');
    expect(check('mx-resolves').status).toBe('fail');
    expect(check('mx-resolves').message).toMatch(/NXDOMAIN/);
    expect(
      check('mx-records')
        .evidence.map((e) => e.value)
        .join('\n'),
    ).toContain('example-test\\.mail\\.protection\\.outlook\\.com');
    // The address lookups went out for the one 40-octet label, never for five labels.
    const lookups = asked.filter((a) => a.type === 1 || a.type === 28);
    expect(lookups.length).toBeGreaterThan(0);
    for (const a of lookups) expect(a.labels).toEqual([DOTTED_LABEL]);
    expect(r.code).toBe(5);
  });

  it('prints the label escaped in text mode too', async () => {
    const r = await runCli(['check-mx', '--nameserver', server.nameserver, '--timeout', '2', DOMAIN]);
    expect(r.stdout).toContain('example-test\\.mail\\.protection\\.outlook\\.com');
    expect(r.stdout).not.toMatch(/[^\\]example-test\.mail\.protection/);
  });
});
