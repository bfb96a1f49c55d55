import { UsageError } from '../core/errors.js';

/** The DNS flags of check-mx, explain --check and the wizard. */
export interface DnsFlags {
  nameserver?: string[];
  timeout?: string;
  deadline?: string;
}

/** What createResolver takes from those flags. */
export interface ResolverSettings {
  nameservers: string[];
  timeoutMs?: number;
  deadlineMs?: number;
}

/** A `--<flag> <seconds>` value (fractions allowed, at most `maxSeconds`) -> milliseconds. */
function parseSeconds(flag: string, value: string | undefined, maxSeconds: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const seconds = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(seconds > 0) || seconds > maxSeconds) {
    throw new UsageError(`--${flag} must be a number of seconds from 0.001 to ${maxSeconds}, got "${text.slice(0, 40)}"`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** `--timeout <seconds>`: how long one DNS try waits. */
export const parseTimeout = (value: string | undefined) => parseSeconds('timeout', value, 60);

/** `--deadline <seconds>`: the whole run's DNS budget. */
export const parseDeadline = (value: string | undefined) => parseSeconds('deadline', value, 3600);

/** The flags as resolver settings; a bad --timeout or --deadline is a usage error. */
export function resolverSettings(opts: DnsFlags): ResolverSettings {
  const timeoutMs = parseTimeout(opts.timeout);
  const deadlineMs = parseDeadline(opts.deadline);
  return {
    nameservers: opts.nameserver ?? [],
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
  };
}

/**
 * The flags as resolver settings, each checked now, whatever the other options
 * (a bad server too, not first when a lookup is due): any bad one is a usage error.
 */
export async function dnsSettings(opts: DnsFlags): Promise<ResolverSettings> {
  const settings = resolverSettings(opts);
  if (settings.nameservers.length) {
    // Only when servers are given: the DNS modules stay out of a plain `ndr explain 5.7.1`.
    const { parseNameservers } = await import('../dns/servers.js');
    parseNameservers(settings.nameservers);
  }
  return settings;
}
