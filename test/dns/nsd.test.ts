// Interoperability: our client against a real authoritative server (NSD) serving test/fixtures/zones.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, type DnsRecord, type Resolver } from '../../src/dns/index.js';
import { startNsd, type NsdServer } from '../helpers/nsd.js';

const ZONE = 'ndr-test-basic.example';

let nsd: NsdServer;
let resolver: Resolver;

beforeAll(async () => {
  nsd = await startNsd();
  resolver = await createResolver({ nameservers: [nsd.nameserver], timeoutMs: 2000, attempts: 2, deadlineMs: 60_000 });
});

afterAll(async () => {
  await nsd?.stop();
});

const pick = <T extends DnsRecord['type']>(records: DnsRecord[], type: T) =>
  records.filter((r): r is Extract<DnsRecord, { type: T }> => r.type === type);

describe('against NSD', () => {
  it('loads every fixture zone, including ours', () => {
    expect(nsd.zones).toContain(ZONE);
  });

  it('MX: both hosts, names lower-cased without the trailing dot', async () => {
    const r = await resolver.lookup(ZONE, 'MX');
    expect(r.status).toBe('ok');
    expect(r.server).toBe(nsd.nameserver);
    const mx = pick(r.records, 'MX')
      .map((m) => [m.priority, m.exchange])
      .sort();
    expect(mx).toEqual([
      [10, `mail1.${ZONE}`],
      [20, `mail2.${ZONE}`],
    ]);
  });

  it('MX: a null MX keeps "." as its exchange', async () => {
    const r = await resolver.lookup(`nullmx.${ZONE}`, 'MX');
    expect(pick(r.records, 'MX')).toMatchObject([{ priority: 0, exchange: '.' }]);
  });

  it('TXT: the strings of one record are joined, records stay apart', async () => {
    const r = await resolver.lookup(ZONE, 'TXT');
    expect(r.status).toBe('ok');
    const texts = pick(r.records, 'TXT')
      .map((t) => t.text)
      .sort();
    expect(texts).toEqual(['MS=ms12345678', 'v=spf1 include:spf.protection.outlook.com -all']);
    const spf = pick(r.records, 'TXT').find((t) => t.text.startsWith('v=spf1'));
    expect(spf?.strings).toEqual(['v=spf1 include:spf.protection.outlook.com', ' -all']);
  });

  it('TXT: a record longer than 255 bytes arrives whole', async () => {
    const r = await resolver.lookup(`long.${ZONE}`, 'TXT');
    const [txt] = pick(r.records, 'TXT');
    expect(txt?.strings.map((s) => s.length)).toEqual([255, 255, 4]);
    expect(txt?.text).toBe(`${'a'.repeat(255)}${'b'.repeat(255)}tail`);
  });

  it('TXT: a set over 1232 bytes is truncated by NSD over UDP and fetched whole over TCP', async () => {
    const r = await resolver.lookup(`big.${ZONE}`, 'TXT');
    expect(r.status).toBe('ok');
    expect(r.records).toHaveLength(12);
  });

  it('A and AAAA; AAAA where there is none is NODATA', async () => {
    const a = await resolver.lookup(`mail1.${ZONE}`, 'A');
    const aaaa = await resolver.lookup(`mail1.${ZONE}`, 'AAAA');
    const none = await resolver.lookup(`mail2.${ZONE}`, 'AAAA');
    expect(pick(a.records, 'A').map((r) => r.address)).toEqual(['192.0.2.10']);
    expect(pick(aaaa.records, 'AAAA').map((r) => r.address)).toEqual(['2001:db8::10']);
    expect([none.status, none.records]).toEqual(['nodata', []]);
  });

  it('NXDOMAIN for a name that does not exist', async () => {
    const r = await resolver.lookup(`no-such-name.${ZONE}`, 'MX');
    expect(r.status).toBe('nxdomain');
    expect(r.message).toBeNull();
  });

  it('CNAME: one and two links followed to the address', async () => {
    const one = await resolver.lookup(`www.${ZONE}`, 'A');
    expect(one.status).toBe('ok');
    expect(one.cnameChain).toEqual([`host.${ZONE}`]);
    expect(pick(one.records, 'A')).toMatchObject([{ name: `host.${ZONE}`, address: '192.0.2.30' }]);
    const two = await resolver.lookup(`alias1.${ZONE}`, 'AAAA');
    expect(two.cnameChain).toEqual([`alias2.${ZONE}`, `host.${ZONE}`]);
    expect(pick(two.records, 'AAAA').map((r) => r.address)).toEqual(['2001:db8::30']);
  });

  it('CNAME asked as CNAME is not followed', async () => {
    const r = await resolver.lookup(`www.${ZONE}`, 'CNAME');
    expect(pick(r.records, 'CNAME')).toMatchObject([{ target: `host.${ZONE}` }]);
    expect(r.cnameChain).toEqual([]);
  });

  it('CNAME out of the zone: the target is asked again (NSD refuses zones it does not serve)', async () => {
    const r = await resolver.lookup(`outside.${ZONE}`, 'A');
    expect(r.cnameChain).toEqual(['host.not-served.example']);
    expect(r.status).toBe('refused');
  });

  it('CNAME loop is an error, not a hang', async () => {
    const r = await resolver.lookup(`loop1.${ZONE}`, 'A');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/CNAME loop/);
  });

  it('a zone NSD does not serve is REFUSED', async () => {
    const r = await resolver.lookup('contoso.com', 'MX');
    expect(r.status).toBe('refused');
  });
});

describe('the NSD helper', () => {
  it("fails loudly, with NSD's log, when a zone file does not load", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ndr-zones-'));
    try {
      await writeFile(join(dir, 'good.example.zone'), '$TTL 60\n@ SOA ns hostmaster 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\n');
      await writeFile(join(dir, 'broken.example.zone'), '$TTL 60\n@ SOA ns hostmaster 1 60 60 60 60\nthis is not a record\n');
      await expect(startNsd({ zonesDir: dir })).rejects.toThrow(
        /did not load zone\(s\) broken\.example \(servfail\)[\s\S]*nsd output[\s\S]*broken\.example\.zone:3: syntax error/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
