import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startNsd, type NsdServer } from '../helpers/nsd.js';

// `ndr explain` links a finding to the DNS checks its entry lists, and runs them with --check.
describe('explain links to check-mx', () => {
  let nsd: NsdServer;
  beforeAll(async () => {
    nsd = await startNsd();
  });
  afterAll(async () => {
    await nsd?.stop();
  });

  const line = '550 5.4.1 Relay Access Denied for ana@ok.ndr-test.example';

  it('ends with the exact check-mx command for the recipient domain', async () => {
    const r = await runCli(['explain', line]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Check the DNS\n {2}ndr check-mx ok\.ndr-test\.example\n/);
    const json = JSON.parse((await runCli(['explain', '--json', line])).stdout);
    expect(json.checkCommands).toEqual(['ndr check-mx ok.ndr-test.example']);
    expect(json.checkReports).toBeUndefined();
  });

  it('prints no check command with a placeholder when the input does not name the domain; JSON still names whose', async () => {
    const r = await runCli(['explain', '550 5.4.1 Relay Access Denied']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/ndr check-mx/);
    expect(r.stdout).not.toMatch(/Check the DNS/);
    const json = JSON.parse((await runCli(['explain', '--json', '550 5.4.1 Relay Access Denied'])).stdout);
    expect(json.checkCommands).toEqual(["ndr check-mx <the recipient's domain>"]);
  });

  it('runs the checks right away with --check', async () => {
    const r = await runCli(['explain', '--json', '--check', '--nameserver', nsd.nameserver, line]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.checkReports).toHaveLength(1);
    expect(json.checkReports[0].domain).toBe('ok.ndr-test.example');
    expect(json.checkReports[0].checks.find((c: { id: string }) => c.id === 'mx-target').status).toBe('pass');
    const text = await runCli(['explain', '--check', '--nameserver', nsd.nameserver, line]);
    expect(text.stdout).toMatch(/mx-target/);
  });

  it('checks nothing for an entry without related checks', async () => {
    const json = JSON.parse((await runCli(['explain', '--json', '5.3.3'])).stdout);
    expect(json.checkCommands).toEqual([]);
  });
});
