/**
 * The mail systems whose bounces ndr recognises by their signature
 * (src/bounce/vendor.ts) and whose own words have a table of reasons
 * (src/knowledge/vendor-reasons.ts): shared by both, so neither imports the other.
 */
export type VendorId =
  | 'domino'
  | 'exchange2003'
  | 'imail'
  | 'gmail-dsn'
  | 'gmail'
  | 'ezweb'
  | 'verizon'
  | 'fml'
  | 'mcafee'
  | 'interscan'
  | 'qmail'
  | 'messagelabs'
  | 'exim'
  | 'notes'
  | 'courier';
