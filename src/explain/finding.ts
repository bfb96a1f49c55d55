import type { SeeAlso } from '../knowledge/decide.js';
import type { EntryMatch, GenericMeaning } from '../knowledge/match.js';
import type { Reason } from '../knowledge/reasons.js';

/**
 * One failed (or delayed) recipient, or one code found in pasted text, with
 * its explanation. The bounce parser, `explain` and the wizard all produce
 * and consume this shape; its JSON form is documented in README.
 */
export interface Finding {
  recipient: string | null;
  status: string | null;
  replyCode: string | null;
  remoteMta: string | null;
  diagnostic: string | null;
  /** The Exchange wrapper code (5.7.350 …) whose remote reply this finding is. */
  wrappedBy: string | null;
  match: EntryMatch | null;
  /** The cause in sisimai's vocabulary: the entry's, else what the words or the code tell. */
  reason: Reason;
  /** The entry the code pointed to when the words chose another one (or none). */
  seeAlso: SeeAlso | null;
  generic: GenericMeaning | null;
}
