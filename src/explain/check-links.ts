import { checkMxCommand } from '../checks/command.js';
import type { Finding } from '../explain/finding.js';

/** A DNS check that an explained finding points to (issue: "explain links to checks"). */
export interface CheckLink {
  /** The exact command, or a template naming whose domain when the address is unknown. */
  command: string;
  /** The validated domain, or null when the input did not say it. */
  domain: string | null;
  side: 'recipient' | 'sender';
}

const ADDRESS = /[A-Za-z0-9._%+=-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/;

/**
 * The `ndr check-mx` commands the findings' entries ask for, one per domain.
 * Pasted text has no recipient field, so the first address in the diagnostic
 * stands in for it. The domain is only ever emitted validated (checkMxCommand).
 */
export function checkLinks(findings: Finding[], sender: string | null): CheckLink[] {
  const links = new Map<string, CheckLink>();
  for (const f of findings) {
    const entry = f.match?.entry;
    if (!entry || !entry.checks.length || !entry.checkDomain) continue;
    const recipient = f.recipient ?? ADDRESS.exec(f.diagnostic ?? '')?.[0] ?? null;
    const command = checkMxCommand({ checks: entry.checks, checkDomain: entry.checkDomain, recipient, sender });
    const link: CheckLink = command
      ? { command, domain: command.slice('ndr check-mx '.length), side: entry.checkDomain }
      : { command: `ndr check-mx <the ${entry.checkDomain}'s domain>`, domain: null, side: entry.checkDomain };
    if (!links.has(link.command)) links.set(link.command, link);
  }
  return [...links.values()];
}
