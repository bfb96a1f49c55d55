/**
 * A whole number with thousands separators, as toLocaleString('en-US') writes
 * it ("2,431"), without ICU: the first toLocaleString of a process builds a
 * number formatter, ~20 ms (a bounce with a long diagnostic paid it to say how
 * much was cut). Other numbers go to toLocaleString. Pure.
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(?:\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}
