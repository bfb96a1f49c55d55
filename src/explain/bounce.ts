/**
 * Bounce facts -> findings: each recipient record becomes a Finding matched
 * against the knowledge base with its status and diagnostic text, the way
 * pasted text is (src/explain/text.ts). Pure once the KB is loaded.
 */
import type { Finding } from './finding.js';
import { vendorReasonOf } from './vendor.js';
import { extractFacts } from '../knowledge/extract.js';
import { decide } from '../knowledge/decide.js';
import { reasonFromWords } from '../knowledge/reason-words.js';
import { genericMeaning } from '../knowledge/match.js';
import type { Reason } from '../knowledge/reasons.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { reasonFromProviderCode, reasonFromStatus } from '../knowledge/reason-codes.js';
import type { Bounce, BounceRecipient, MessageKind } from '../bounce/types.js';

export interface BounceFinding {
  finding: Finding;
  /** The recipient record the finding was made from. */
  record: BounceRecipient;
}

export interface BounceExplanation {
  bounce: Bounce;
  findings: BounceFinding[];
}

/** Messages that are not failures have their own reasons, whatever their words say. */
const KIND_REASONS: Partial<Record<MessageKind, Reason>> = { 'feedback-report': 'feedback', 'auto-reply': 'vacation' };
const DELIVERED_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);
/** Reasons that a delay notice replaces with "expired": nothing better was found. */
const UNDECIDED = new Set<Reason>(['onhold', 'undefined']);

/**
 * The SMTP stage tells what a refusal is about (reference/bounce-reasons.md
 * §3.3-3.4). A missing address is known at RCPT: words of a missing address
 * count as `userunknown` only in reply to RCPT or with a code of the report
 * itself that says so (x.1.0, x.1.1, x.1.3). In reply to DATA, or where the
 * report shows no stage and no such code, they are the recipient's side
 * refusing this message (`filtered`, as sisimai says); at MAIL FROM the
 * refusal is of the sender address (`rejected`). A refusal at the greeting
 * or at HELO/EHLO that names no other cause refuses the connecting client
 * (`blocked`).
 */

/** Exchange's own address codes (5.1.10, 5.1.351 ...): its resolver or its own RCPT check said the address is unknown. */
const EXCHANGE_ADDRESS = /^[45]\.1\.(?:1\d|[1-9]\d\d)$/;

function stageReason(r: BounceRecipient, decided: Reason): Reason {
  const cmd = r.command;
  if ((cmd === 'CONN' || cmd === 'HELO' || cmd === 'EHLO') && (UNDECIDED.has(decided) || decided === 'userunknown')) return 'blocked';
  if (decided !== 'userunknown' || cmd === 'RCPT') return decided;
  if (cmd === 'MAIL') return 'rejected';
  if (r.status && !r.statusInferred && EXCHANGE_ADDRESS.test(r.status)) return decided;
  const byStatus = r.status && !r.statusInferred ? reasonFromStatus(r.status) : null;
  return byStatus === 'userunknown' || byStatus === 'suspend' ? decided : 'filtered';
}

/**
 * A failure for a Google Groups address (…@googlegroups.com) whose words name
 * no cause: Google Groups refuses a post from a sender who may not post to the
 * group (or to a group that does not exist), in the sender's own language;
 * the sender is what the group refused (`rejected`, as sisimai's Google
 * Groups parser says).
 */
function groupReason(r: BounceRecipient, decided: Reason): Reason {
  return UNDECIDED.has(decided) && /@googlegroups\.com$/i.test(r.recipient ?? '') ? 'rejected' : decided;
}

/**
 * PowerMTA's bounce categories (its X-PowerMTA-BounceCategory field): the
 * sending MTA's own classification of the reply, as its documentation lists
 * them. Categories that name no definite cause (other, bad-connection ...)
 * are left to the words.
 */
const CATEGORY_REASONS: Readonly<Record<string, Reason>> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  'inactive-mailbox': 'suspend',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'routing-errors': 'systemerror',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
  'content-related': 'contenterror',
  'invalid-sender': 'rejected',
  'relaying-issues': 'norelaying',
};

function recordReason(kind: MessageKind, r: BounceRecipient, decided: Reason, vendorReason: Reason | null): Reason {
  const own = KIND_REASONS[kind];
  if (own) return own;
  if (r.action && DELIVERED_ACTIONS.has(r.action)) return 'delivered';
  if (vendorReason) return vendorReason;
  if ((r.action === 'delayed' || kind === 'delay') && UNDECIDED.has(decided)) return 'expired';
  // A provider's own error code decided the reason (decide.ts): the stage does not change it.
  if (r.diagnostic && reasonFromProviderCode(r.diagnostic)) return decided;
  const category = r.category ? CATEGORY_REASONS[r.category] : undefined;
  if (category) return category;
  return stageReason(r, groupReason(r, decided));
}

function toFinding(
  kb: KnowledgeBase,
  kind: MessageKind,
  r: BounceRecipient,
  vendorReason: Reason | null,
  wrappedBy: string | null = null,
  context?: string,
): Finding {
  // The address is part of what the entry may match: an IMCEAEX-encoded recipient
  // tells the stale auto-complete variant of 5.1.1 apart.
  const text = [r.diagnostic ?? '', /^IMCEA/i.test(r.recipient ?? '') ? r.recipient : ''].join(' ').trim();
  const decision = r.status || text ? decide(kb, { status: r.status, replyCode: r.replyCode, text, context }, reasonFromWords) : null;
  return {
    recipient: r.recipient,
    status: r.status,
    replyCode: r.replyCode,
    remoteMta: r.remoteMta,
    diagnostic: r.diagnostic,
    wrappedBy,
    match: decision?.match ?? null,
    reason: recordReason(kind, r, decision?.reason ?? 'undefined', vendorReason),
    seeAlso: decision?.seeAlso ?? null,
    generic: genericMeaning(kb.registry, r.status, r.replyCode),
  };
}

export function explainBounce(kb: KnowledgeBase, bounce: Bounce): BounceExplanation {
  const findings: BounceFinding[] = [];
  for (const record of bounce.recipients) {
    // A vendor's table reads the record as the report gives it; a reply unwrapped from it keeps that reason.
    const vendorReason = vendorReasonOf(bounce, record);
    findings.push({ finding: toFinding(kb, bounce.messageKind, record, vendorReason), record });
    // Exchange's x.x.350-style wrapper quotes the remote server's own reply after "->":
    // explain that reply too, as explainText does for pasted text (reference/ndr-codes.md §1a).
    // A wrapped reply follows "->" (extractFacts' wrappedBy): a diagnostic without one has none.
    for (const fact of record.diagnostic?.includes('->') ? extractFacts(record.diagnostic) : []) {
      if (!fact.wrappedBy || fact.wrappedBy !== record.status) continue;
      const inner: BounceRecipient = {
        ...record,
        status: fact.status,
        replyCode: fact.replyCode,
        diagnostic: fact.text,
        statusInferred: false,
      };
      findings.push({
        finding: toFinding(kb, bounce.messageKind, inner, vendorReason, fact.wrappedBy, record.diagnostic ?? undefined),
        record: inner,
      });
    }
  }
  return { bounce, findings };
}
