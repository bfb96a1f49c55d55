import type { CheckName } from '../knowledge/types.js';
import { toHostname } from './domain.js';

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

/** The domain part of an address: after the last "@", without angle brackets. */
function domainOf(address: string): string {
  const text = address.trim().replace(/^<|>$/g, '');
  const at = text.lastIndexOf('@');
  return at === -1 ? text : text.slice(at + 1);
}

/**
 * The exact `ndr check-mx <domain>` command line to suggest for a finding, or
 * null when the entry has no checks, the address is missing, or its domain is
 * not a valid host name. The domain comes from untrusted mail, so it is only
 * ever emitted as a validated lower-case A-label host name (letters, digits,
 * hyphens and dots), which no shell treats specially.
 */
export function checkMxCommand(input: CheckCommandInput): string | null {
  if (input.checks.length === 0 || input.checkDomain === null) return null;
  const address = input.checkDomain === 'recipient' ? input.recipient : input.sender;
  if (!address) return null;
  const host = toHostname(domainOf(address));
  return host === null ? null : `ndr check-mx ${host}`;
}
