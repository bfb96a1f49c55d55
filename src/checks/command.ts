import type { CheckName } from '../knowledge/types.js';
import { domainOfAddress, toHostname } from '../domain/name.js';

/** What `ndr explain` knows about one finding: whose domain to check. */
export interface CheckCommandInput {
  /** The entry's `checks` (empty: nothing to run). */
  checks: readonly CheckName[];
  /** The entry's `checkDomain`: which side's domain the checks are about. */
  checkDomain: 'recipient' | 'sender' | null;
  /** The finding's recipient address, if known. */
  recipient?: string | null;
  /** The sender address (the bounce's original From or Return-Path), if known. */
  sender?: string | null;
}

/**
 * The domain to check for a finding: the domain of the address on the side
 * the entry names, as a host name (src/domain/name.ts toHostname), or null
 * when the address is missing or its domain is not a valid host name.
 */
export function checkDomainOf(
  input: Pick<CheckCommandInput, 'recipient' | 'sender'> & { checkDomain: 'recipient' | 'sender' },
): string | null {
  const domain = domainOfAddress(input.checkDomain === 'recipient' ? input.recipient : input.sender);
  return domain === null ? null : toHostname(domain);
}

/**
 * The exact `ndr check-mx <domain>` command line to suggest for a finding, or
 * null when the entry has no checks or checkDomainOf finds no domain. The
 * domain comes from untrusted mail, so it is only ever emitted as a validated
 * lower-case A-label host name (letters, digits, hyphens and dots), which no
 * shell treats specially.
 */
export function checkMxCommand(input: CheckCommandInput): string | null {
  if (input.checks.length === 0 || input.checkDomain === null) return null;
  const host = checkDomainOf({ ...input, checkDomain: input.checkDomain });
  return host === null ? null : `ndr check-mx ${host}`;
}
