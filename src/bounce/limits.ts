/** Bounds against hostile input (see reference/cli-conventions.md §B3). */
export const LIMITS = {
  /** Multipart and message/rfc822 containers inside each other; real NDRs use fewer than 10. */
  maxMimeDepth: 32,
  /** MIME parts in one message (mailparser's maxChildNodes). */
  maxMimeParts: 500,
  /** One header block (of the message or of a part). */
  maxHeaderBytes: 1024 * 1024,
  /** Header fields in one header block; below mailsplit's own bound (1 MiB at 64 bytes a line, 16k lines). */
  maxHeaderFields: 10_000,
  /** HTML longer than this is not converted to text. */
  maxHtmlChars: 2 * 1024 * 1024,
  /** Human-readable text scanned with regular expressions. */
  maxScanChars: 256 * 1024,
  /** A delivery-status or feedback-report part. */
  maxReportChars: 256 * 1024,
  /** The header block of a returned message. */
  maxReturnedHeaderBytes: 256 * 1024,
  /** Failed recipients reported for one message. */
  maxRecipients: 500,
  /** Received headers followed as hops. */
  maxHops: 60,
  /** One diagnostic text. */
  maxDiagnosticChars: 2000,
} as const;

/** A diagnostic (or Exchange's cause) kept to LIMITS.maxDiagnosticChars, saying at its end how much was cut. */
export function clipDiagnostic(text: string): string {
  if (text.length <= LIMITS.maxDiagnosticChars) return text;
  const cut = text.length - LIMITS.maxDiagnosticChars;
  // The count with en-US thousands separators ("12,345"), as toLocaleString('en-US') writes a
  // whole number, without the ~20 ms its first call spends setting up the locale's number format.
  const count = String(cut).replace(/\B(?=(?:\d{3})+$)/g, ',');
  return `${text.slice(0, LIMITS.maxDiagnosticChars)} ... (${count} more characters cut)`;
}
