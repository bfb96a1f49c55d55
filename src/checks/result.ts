import type { CheckFix, CheckId, CheckResult, CheckStatus, Evidence } from './types.js';

/** Worst first: a proven failure outranks "could not check", which outranks a warning. */
const RANK: Record<CheckStatus, number> = { fail: 3, error: 2, warn: 1, pass: 0 };

export function worst(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((a, b) => (RANK[b] > RANK[a] ? b : a), 'pass');
}

export function result(id: CheckId, status: CheckStatus, message: string, evidence: Evidence[], fix: CheckFix | null): CheckResult {
  return { id, status, message, evidence, fix: status === 'pass' ? null : fix };
}

/** A check that could not be done: its lookup got no answer. Never reported as absent or failed. */
export function notChecked(id: CheckId, message: string, evidence: Evidence[]): CheckResult {
  return { id, status: 'error', message, evidence, fix: null };
}
