import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { createResolver, parseResolvConf, resolverConfig } from '../../src/dns/index.js';
import { startDnsServer, type DnsTestServer } from '../helpers/dns-server.js';

let dir: string;
let server: DnsTestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ndr-resolv-'));
  server = await startDnsServer({ records: [{ name: 'contoso.test', type: 'A', ttl: 60, data: '192.0.2.7' }] });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createResolver', () => {
  it('explicit --nameserver values win over resolv.conf', async () => {
    const r = await createResolver({ nameservers: [server.nameserver], resolvConfPath: '/nonexistent/resolv.conf' });
    expect(r.servers).toEqual([server.nameserver]);
    expect((await r.lookup('contoso.test', 'A')).status).toBe('ok');
  });

  it('reads servers and options from resolv.conf', async () => {
    const path = join(dir, 'resolv.conf');
    await writeFile(path, `# test\nnameserver 127.0.0.1\nnameserver ::1\noptions timeout:1 attempts:1\n`);
    const r = await createResolver({ resolvConfPath: path });
    expect(r.servers).toEqual(['127.0.0.1:53', '[::1]:53']);
  });

  it('a missing resolv.conf means 127.0.0.1', async () => {
    const r = await createResolver({ resolvConfPath: join(dir, 'missing') });
    expect(r.servers).toEqual(['127.0.0.1:53']);
  });

  it('a bad --nameserver is a UsageError', async () => {
    await expect(createResolver({ nameservers: ['dns.google'] })).rejects.toThrow(UsageError);
  });
});

describe('resolverConfig', () => {
  const system = parseResolvConf('nameserver 10.0.0.1\noptions timeout:1 attempts:4 rotate\n');

  it('defaults: 2500 ms, 2 attempts, 30 s deadline', () => {
    expect(resolverConfig({}, parseResolvConf(''))).toMatchObject({ timeoutMs: 2500, attempts: 2, deadlineMs: 30_000, rotate: false });
  });

  it('resolv.conf options are used unless flags say otherwise', () => {
    expect(resolverConfig({}, system)).toMatchObject({ timeoutMs: 1000, attempts: 4, rotate: true });
    expect(resolverConfig({ timeoutMs: 300, attempts: 1, deadlineMs: 5000 }, system)).toMatchObject({
      timeoutMs: 300,
      attempts: 1,
      deadlineMs: 5000,
    });
  });

  it.each([
    [{ timeoutMs: 0 }, /--timeout/],
    [{ timeoutMs: 1.5 }, /--timeout/],
    [{ attempts: 0 }, /--attempts/],
    [{ attempts: 11 }, /--attempts/],
    [{ deadlineMs: -1 }, /--deadline/],
    [{ timeoutMs: Number.NaN }, /--timeout/],
  ])('%j is a UsageError', (options, why) => {
    expect(() => resolverConfig(options, system)).toThrow(UsageError);
    expect(() => resolverConfig(options, system)).toThrow(why);
  });
});
