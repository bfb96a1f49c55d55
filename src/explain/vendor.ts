/**
 * A recipient's reason from a vendor's own table: the receiving host's table
 * first (it wrote the reply), then the table of the system that wrote the
 * bounce (Bounce.vendor, recognised by src/bounce/vendor.ts), when ndr knows
 * either. Only for non-delivery and delay reports. Pure.
 */
import type { Bounce, BounceRecipient } from '../bounce/types.js';
import type { VendorId } from '../core/vendors.js';
import type { Reason } from '../knowledge/reasons.js';
import { hostTableReason, VENDOR_REASONS, vendorTableReason } from '../knowledge/vendor-reasons.js';

/**
 * The vendor's reason for one recipient: from its table on the recipient's
 * own words, else (when the report has one recipient) on the report's text,
 * where some vendors put the cause apart from the address.
 */
function vendorReason(vendor: VendorId, r: BounceRecipient, reportText: string, single: boolean): Reason | null {
  if (VENDOR_REASONS[vendor].ownWordsOnly && r.command) return null;
  const status = r.statusInferred ? null : r.status;
  return (
    (r.diagnostic ? vendorTableReason(vendor, r.diagnostic, status) : null) ??
    (single ? vendorTableReason(vendor, reportText, status) : null)
  );
}

/** The reason a vendor's table gives this recipient of the bounce, or null. */
export function vendorReasonOf(bounce: Bounce, r: BounceRecipient): Reason | null {
  if (bounce.messageKind !== 'ndr' && bounce.messageKind !== 'delay') return null;
  const byHost = r.remoteMta ? hostTableReason(r.remoteMta, r.status, r.command, r.diagnostic ?? '', r.replyCode) : null;
  return byHost ?? (bounce.vendor ? vendorReason(bounce.vendor.id, r, bounce.vendor.text, bounce.recipients.length === 1) : null);
}
