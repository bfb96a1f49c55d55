/**
 * A time as Date.prototype.toISOString writes it ("2025-01-16T10:42:19.000Z";
 * years outside 0-9999 as "+012345" / "-000001"), from the UTC fields, which
 * are cheap: V8's own toISOString costs ~1 ms on its first call in a process
 * (a bounce's start calls it for the message's date). `ms` must be a valid
 * time (not NaN). Pure.
 */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
  return `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(
    d.getUTCSeconds(),
    2,
  )}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
