export function shortBounces(count: number): string;
export function writeShortBounces(path: string, count: number): void;
