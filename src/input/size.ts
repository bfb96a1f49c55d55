/** How much ndr reads of one input: the default limit, and --max-size's value as bytes. */
import { UsageError } from '../core/errors.js';

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i;
const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "25M", "512k", "1048576" -> bytes. */
export function parseSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_BYTES;
  const m = SIZE.exec(text.trim());
  const bytes = m ? Math.floor(Number(m[1]) * UNIT[m[2]!.toLowerCase()]!) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw new UsageError(`--max-size: "${text}" is not a size (use bytes, or a number with k, M or G)`);
  return bytes;
}
