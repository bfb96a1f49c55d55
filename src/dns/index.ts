/**
 * The DNS client: the only module that opens sockets. Checks see only the
 * Resolver interface from ./types.js; the CLI builds one with createResolver().
 */
export type { DnsRecord, LookupResult, LookupStatus, RecordType, Resolver } from './types.js';
export { createResolver, readResolvConf, resolverConfig, RESOLV_CONF_PATH, type ResolverOptions } from './create.js';
export {
  DnsResolver,
  DEFAULT_ATTEMPTS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_CNAME_CHAIN,
  DEFAULT_TIMEOUT_MS,
  type ResolverConfig,
} from './resolver.js';
export {
  canonicalServer,
  formatServer,
  parseNameserver,
  parseNameservers,
  parseResolvConf,
  type ResolvConf,
  type ServerAddress,
} from './servers.js';
export { toQueryName } from './name.js';
// check-mx's argument rule lives with the other domain-name rules.
export { DEFAULT_LIMITS, EDNS_UDP_PAYLOAD, type AnswerLimits } from './message.js';
