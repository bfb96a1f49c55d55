/** Who must act to fix a problem (the newer Office 365 NDRs mark the same owners). */
export const ROLES = ['sender', 'recipient', 'group-owner', 'sender-admin', 'recipient-admin', 'mail-service'] as const;
export type Role = (typeof ROLES)[number];

/** Live checks an entry can point to (run by `ndr check-mx`). */
export const CHECKS = ['mx', 'spf', 'dkim', 'dmarc', 'autodiscover'] as const;
export type CheckName = (typeof CHECKS)[number];

import type { Reason } from './reasons.js';

export type Step = string | { text: string; substeps: string[] };

/** The Outlook a solution's steps are written for, where they differ (the wizard asks which one is in use). */
export const CLIENTS = ['outlook-web', 'outlook-classic'] as const;
export type Client = (typeof CLIENTS)[number];

export interface Solution {
  title: string;
  /** Who carries the solution out, when it is not the audience's default. */
  for?: Role;
  /** Only for this Outlook: Outlook on the web (and the new Outlook for Windows), or classic Outlook. */
  client?: Client;
  steps: Step[];
}

/** A code or a range over the last number: 5.7.606-649 is {class 5, subject 7, from 606, to 649}. */
export interface CodeRange {
  text: string;
  cls: number;
  subject: number;
  from: number;
  to: number;
}

export interface KbEntry {
  id: string;
  /** The cause in sisimai's vocabulary (reasons.ts). */
  reason: Reason;
  codes: CodeRange[];
  patterns: RegExp[];
  fallback: boolean;
  title: string;
  summary: string;
  causes: string[];
  owner: Role[];
  solutions: { sender: Solution[]; admin: Solution[] };
  checks: CheckName[];
  checkDomain: 'recipient' | 'sender' | null;
  history: string | null;
  see: string[];
  sources: string[];
  examples: { match: string[]; nomatch: string[] };
  /** Where the entry was read from, for error messages and `kb lint`. */
  file: string;
  line: number;
}

export interface RegistryDetail {
  code: string; // "X.1.1"
  name: string;
  replyCodes: string[];
  reference: string;
}

export interface Registry {
  classes: Map<number, { name: string; meaning: string }>;
  subjects: Map<number, { name: string; meaning: string }>;
  details: Map<string, RegistryDetail>; // key "1.1" (subject.detail)
  replyCodes: Map<string, { meaning: string }>;
  sources: string[];
}

export interface KnowledgeBase {
  entries: KbEntry[];
  byId: Map<string, KbEntry>;
  registry: Registry;
}
