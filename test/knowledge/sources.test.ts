/**
 * The sources of the knowledge base cite Microsoft Learn in one form, at the
 * articles' current addresses (knowledge/README.md, "Commands and sources").
 * Checked against the layout of the MicrosoftDocs repositories when written;
 * this test keeps the form and keeps the addresses Microsoft has redirected out.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_KB_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

const kb = loadKnowledgeBase({ dir: BUNDLED_KB_DIR });
const learn = kb.entries.flatMap((e) =>
  e.sources.filter((s) => /^https?:\/\/[^/]*learn\.microsoft\.com/i.test(s)).map((url) => ({ id: e.id, url })),
);

/** Older addresses that now redirect to another page; cite the page they lead to. */
const REDIRECTED = [
  // The 5.4.1 "Relay Access Denied" article; the 5.4.1 page is now about Directory-Based Edge Blocking.
  '/troubleshoot/exchange/email-delivery/ndr/fix-error-code-550-5-4-1-in-exchange-online',
  // -> fix-error-code-550-5-1-8
  '/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-1-8-in-exchange-online',
  // -> fix-error-codes-550-5-7-703-550-5-7-705-550-5-7-708-550-5-7-750
  '/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-750',
  '/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-749',
];

/** NDR articles that moved into the email-delivery/ndr/ folder. */
const MOVED_TO_NDR = [
  '550-x-dg-ref-header-too-long-ndr',
  'ndr-received-send-emails-microsoft365-groups',
  'remote-server-returned-mailbox-busy',
  'unable-to-relay-blocked-by-allow-list',
  'exrecipnotfound-ndr',
  'badprimary-ndr',
  'invalid-message-ndr',
  'mapiexceptionnotfound-ndr',
  'cannot-send-mail-mepf',
  'recipientnotfound-ndr',
  'relay-access-denied-smtp',
  'tenantattribution-ndr',
];

describe('Microsoft Learn sources', () => {
  it('are there', () => {
    expect(learn.length).toBeGreaterThan(100);
  });

  it('use one form: https://learn.microsoft.com/en-us/<path>, no trailing slash, query or fragment', () => {
    expect(learn.filter(({ url }) => !/^https:\/\/learn\.microsoft\.com\/en-us\/[a-z0-9][a-z0-9/._-]*[a-z0-9]$/.test(url))).toEqual([]);
  });

  it('use the troubleshooting form /troubleshoot/exchange/, not the /exchange/troubleshoot/ alias or the old NDR folder', () => {
    const old = learn.filter(
      ({ url }) => url.includes('/exchange/troubleshoot/') || url.includes('/non-delivery-reports-in-exchange-online/'),
    );
    expect(old).toEqual([]);
  });

  it('cite no redirected address', () => {
    expect(learn.filter(({ url }) => REDIRECTED.some((r) => url.endsWith(r)))).toEqual([]);
    expect(learn.filter(({ url }) => MOVED_TO_NDR.some((slug) => url.endsWith(`/troubleshoot/exchange/email-delivery/${slug}`)))).toEqual(
      [],
    );
  });
});
