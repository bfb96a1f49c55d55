/** Names as DNS answers give them: compared and walked up (user input is src/domain/name.ts). */

/** Same name? Case-insensitive, trailing dot ignored. */
export function sameName(a: string, b: string): boolean {
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

export function stripDot(name: string): string {
  return name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
}

/** `a.b.contoso.com` -> [`b.contoso.com`, `contoso.com`]: the ancestors with at least two labels. */
export function parentDomains(domain: string): string[] {
  const labels = stripDot(domain).split('.');
  const out: string[] = [];
  for (let i = 1; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
