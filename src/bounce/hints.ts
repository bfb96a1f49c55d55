/**
 * Hints that need the whole message: what an admin would notice by reading
 * the report, the returned message and the addresses side by side.
 */
import { domainOfAddress } from '../domain/name.js';
import { findCodes, sameAddress } from './text-util.js';
import type { Bounce, BounceHint } from './types.js';

const IMCEAEX = /^IMCEAEX-(.+)@([^@]+)$/i;

/**
 * Characters that only an attempt to fool a terminal explains: C0 controls other than
 * tab and line feed (CRLF is normalised before, so a CR left over is a bare one), DEL,
 * C1 controls (ESC [, OSC, CSI …) and the bidi embeddings, overrides and isolates
 * of Trojan Source (CVE-2021-42574). The renderer escapes more
 * (marks, zero-width characters), but those also occur in honest right-to-left and
 * Indic text, so they alone do not raise this hint.
 */
const SMUGGLED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The domain of an address, lower-cased to compare. */
function domainOf(address: string | null | undefined): string | null {
  return domainOfAddress(address)?.toLowerCase() ?? null;
}

/**
 * IMCEAEX-_O=CONTOSO_OU=First+20Administrative+20Group_cn=Recipients_cn=user@contoso.local
 * -> X500:/O=CONTOSO/OU=First Administrative Group/cn=Recipients/cn=user
 * (MS-OXCMAIL: "_" stands for "/", "+XX" for the character with hex code XX).
 */
export function imceaexToX500(address: string): string | null {
  const m = IMCEAEX.exec(address);
  if (!m) return null;
  const dn = m[1]!.replace(/_/g, '/').replace(/\+([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return `X500:${dn}`;
}

/** An Exchange wrapper code with the remote server's reply after "->" (reference/ndr-codes.md §1a). */
export function wrappedReply(diagnostic: string | null): { wrapper: string; reply: string } | null {
  if (!diagnostic) return null;
  const arrow = diagnostic.indexOf('->');
  if (arrow < 0) return null;
  const before = findCodes(diagnostic.slice(0, arrow));
  const after = findCodes(diagnostic.slice(arrow));
  if (!before.length || !after.length) return null;
  return {
    wrapper: before[before.length - 1]!.status!,
    reply: diagnostic
      .slice(arrow + 2)
      .trim()
      .replace(/^['"]|['"]$/g, '')
      .slice(0, 500),
  };
}

function printedStrings(b: Bounce, text: string): string[] {
  const out = [text, b.subject ?? '', b.from ?? '', b.generatingServer ?? '', ...b.to];
  for (const r of b.recipients) out.push(r.recipient ?? '', r.originalRecipient ?? '', r.diagnostic ?? '', r.remoteMta ?? '');
  if (b.original) out.push(b.original.subject ?? '', b.original.from ?? '', ...b.original.to, ...b.original.cc, b.original.messageId ?? '');
  if (b.exchange) out.push(b.exchange.cause ?? '', b.exchange.howToFix ?? '', b.exchange.adminInfo ?? '');
  return out;
}

/** Every hint the message supports. `text` is the human-readable part (for the control-character check). */
export function collectHints(b: Bounce, text: string): BounceHint[] {
  const hints: BounceHint[] = [];
  const seen = new Set<string>();
  const add = (h: BounceHint) => {
    const key = `${h.id} ${h.detail ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      hints.push(h);
    }
  };

  for (const r of b.recipients) {
    for (const address of [r.recipient, r.originalRecipient]) {
      const x500 = address ? imceaexToX500(address) : null;
      if (x500) {
        add({
          id: 'imceaex-address',
          message:
            'The recipient is an encapsulated Exchange address (IMCEAEX), not a real e-mail address. It usually comes from a stale Outlook Auto-Complete entry or from replying to an old message after the mailbox was moved or recreated. Remove the Auto-Complete entry and type the address again; an admin can add the old address to the current recipient as an X500 proxy address.',
          detail: x500,
        });
      }
    }
  }

  if (b.messageKind === 'ndr' || b.messageKind === 'delay') {
    const listed = b.original ? [...b.original.to, ...b.original.cc] : [];
    for (const r of b.recipients) {
      if (!r.recipient) continue;
      if (r.originalRecipient && !sameAddress(r.originalRecipient, r.recipient) && !IMCEAEX.test(r.originalRecipient)) {
        add({
          id: 'forwarded-recipient',
          message: `The message was addressed to ${r.originalRecipient} and then forwarded or redirected to ${r.recipient}, where delivery failed. Check the forwarding rule, redirect or alias of ${r.originalRecipient}.`,
          detail: `${r.originalRecipient} -> ${r.recipient}`,
        });
      } else if (
        listed.length &&
        !listed.some((a) => sameAddress(a, r.recipient)) &&
        !(r.originalRecipient && listed.some((a) => sameAddress(a, r.originalRecipient)))
      ) {
        add({
          id: 'forwarded-recipient',
          message: `${r.recipient} is not among the original message's To and Cc (${listed.slice(0, 5).join(', ')}). The message reached it another way: a forwarding rule or redirect of one of those recipients, a distribution list, or Bcc.`,
          detail: r.recipient,
        });
      }
    }

    // Backscatter (a bounce for mail someone else sent in your name) shows as a returned message
    // that failed SPF or DMARC, or one sent from other domains than the one that got the bounce.
    const gotBounce = b.to[0] ?? null;
    const o = b.original;
    if (o && gotBounce) {
      const failedAuth = [o.authentication.spf, o.authentication.dmarc].some((v) => v === 'fail' || v === 'softfail');
      const mine = domainOf(gotBounce);
      const foreign = !!o.from && !!o.returnPath && domainOf(o.from) !== mine && domainOf(o.returnPath) !== mine;
      if (failedAuth || foreign) {
        const sender = o.returnPath ?? o.from ?? 'someone else';
        add({
          id: 'backscatter',
          message: `This may be backscatter: the report went to ${gotBounce}, but ${failedAuth ? 'the returned message failed SPF or DMARC checks, so it probably did not come from your mail system' : `the returned message was sent by ${sender}`}. If nobody at your side sent it, someone forged the sender address and the bounce came back to you: there is nothing to fix in your mail flow. Publish SPF, DKIM and DMARC for your domain so that other servers refuse such forgeries.`,
          detail: `${gotBounce} <> ${sender}`,
        });
      }
    }

    if (o?.isBounce) {
      add({
        id: 'bounce-of-bounce',
        message:
          'The returned message is itself a delivery report: a bounce could not be delivered back to its sender. The address that should have received the first report does not accept mail, or it was forged. Read the inner report for the original failure.',
        detail: o.subject,
      });
    }

    for (const r of b.recipients) {
      const w = wrappedReply(r.diagnostic);
      if (w) {
        add({
          id: 'exchange-wrapped-reply',
          message: `Exchange reports ${w.wrapper}, but the refusal came from the remote server; its own reply was: ${w.reply}`,
          detail: w.reply,
        });
      }
    }
  }

  if (printedStrings(b, text).some((t) => SMUGGLED.test(t))) {
    add({
      id: 'control-characters',
      message:
        'The message contains terminal control, bidirectional or invisible characters; ndr shows them as escapes (\\x1b, \\u202e ...). Such characters can hide or fake text on a screen, so treat the message with suspicion.',
      detail: null,
    });
  }
  return hints;
}
