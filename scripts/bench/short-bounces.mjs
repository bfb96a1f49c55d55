// The mailbox of issue 17: `count` short bounces, each a `From ` line, From:, To:,
// Subject:, Date:, a blank line and one SMTP reply naming its own recipient.
// Generated where it is used (test/cli/output.test.ts, scripts/bench/pipe.mjs), never committed.
import { writeFileSync } from 'node:fs';

export function shortBounces(count) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      'From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n' +
        'From: Mail Delivery System <MAILER-DAEMON@a.example>\n' +
        'To: sender@b.example\n' +
        'Subject: Undelivered Mail Returned to Sender\n' +
        'Date: Mon, 1 Jan 2024 00:00:00 +0000\n' +
        '\n' +
        `550 5.1.1 <u${i}@c.example>: Recipient address rejected\n\n`,
    );
  }
  return parts.join('');
}

export function writeShortBounces(path, count) {
  writeFileSync(path, shortBounces(count));
}
