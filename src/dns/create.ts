import { promises as fsp } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { DEFAULT_ATTEMPTS, DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, DnsResolver, type ResolverConfig } from './resolver.js';
import { parseNameservers, parseResolvConf, type ResolvConf } from './servers.js';

/** What the CLI knows: flag values as given, not yet validated. */
export interface ResolverOptions {
  /** `--nameserver` values ("IP[:PORT]", "[IPv6]:PORT"); empty or absent: /etc/resolv.conf. */
  nameservers?: readonly string[];
  /** Per try, ms. Default: resolv.conf `timeout`, else 2500. */
  timeoutMs?: number;
  /** Rounds over all servers. Default: resolv.conf `attempts`, else 2. */
  attempts?: number;
  /** Budget for the whole run, ms, from the first lookup. Default 30000. */
  deadlineMs?: number;
  /** Cancels every lookup (Ctrl+C). */
  signal?: AbortSignal;
  /** For tests; default /etc/resolv.conf. */
  resolvConfPath?: string;
}

export const RESOLV_CONF_PATH = '/etc/resolv.conf';

/**
 * Builds the resolver the CLI hands to the checks. Explicit nameservers win;
 * otherwise the system's resolv.conf is read (a missing file means
 * 127.0.0.1, as glibc does). Bad option values are UsageErrors.
 */
export async function createResolver(options: ResolverOptions = {}): Promise<DnsResolver> {
  const explicit = options.nameservers ?? [];
  const system = explicit.length > 0 ? null : await readResolvConf(options.resolvConfPath ?? RESOLV_CONF_PATH);
  return new DnsResolver(resolverConfig(options, system));
}

/** Pure: options plus the parsed resolv.conf (null when nameservers are explicit) → a config. */
export function resolverConfig(options: ResolverOptions, system: ResolvConf | null): ResolverConfig {
  const explicit = options.nameservers ?? [];
  const servers = explicit.length > 0 ? parseNameservers(explicit) : (system ?? parseResolvConf('')).nameservers;
  const config: ResolverConfig = {
    servers,
    timeoutMs: checkedInteger('--timeout', options.timeoutMs, 1, 60_000) ?? system?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    attempts: checkedInteger('--attempts', options.attempts, 1, 10) ?? system?.attempts ?? DEFAULT_ATTEMPTS,
    deadlineMs: checkedInteger('--deadline', options.deadlineMs, 1, 3_600_000) ?? DEFAULT_DEADLINE_MS,
    rotate: system?.rotate ?? false,
  };
  if (options.signal) config.signal = options.signal;
  return config;
}

/** Reads and parses resolv.conf; a missing or unreadable file counts as empty. */
export async function readResolvConf(path: string = RESOLV_CONF_PATH): Promise<ResolvConf> {
  let text = '';
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch {
    // resolv.conf(5): no file means the local name server.
  }
  return parseResolvConf(text);
}

function checkedInteger(flag: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
