import 'server-only';
import type { Db, Tx } from '@/db';
import {
  clearAlertPending,
  claimDueMessages,
  digestHistory,
  insertDigest,
  markMessageFailed,
  markMessageSent,
  pendingDigests,
  alertSettingsOf,
} from '@/db/queries/alerts';
import { log } from '@/lib/log';
import type { MessageSender } from '@/lib/sms/sender';
import { chinaDateOf, formatChinaDateTime } from '@/lib/time';
import { chinaMinuteOf, decideDigest, DIGEST_GAP_MS, windowStartOf } from './rules';

// 短信提醒 (issue #18): two continuous jobs (lib/jobs/jobs.ts). The digest job turns a venue's new fever
// and red-code notices into at most one message per 10 minutes (counts only); the send job delivers
// pending messages through the sender, retrying with back-off and the same idempotency key.

export const DIGEST_SLICE = 200;
export const SEND_SLICE = 20;
export const MAX_ATTEMPTS = 8;

/** Wait before attempt n+1 after attempt n: 30 s, 1, 2, 4, 8, 16, 30 min. Longer than a send's timeout: it is also the lease. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 30 * 60_000);
}

const shortTime = (d: Date) => formatChinaDateTime(d).slice(5);
const VENUE_PARAM_MAX = 20;

/** One pass over the venues with unsent events; returns how many venues it looked at. */
export async function digestSlice(tx: Tx, now: Date, template: string): Promise<number> {
  const lastBefore = new Date(now.getTime() - DIGEST_GAP_MS);
  const pending = await pendingDigests(tx, { chinaMinute: chinaMinuteOf(now), lastBefore }, DIGEST_SLICE);
  const day = chinaDateOf(now);
  for (const p of pending) {
    // SPEC L3: a closed venue texts nobody; its counts are accounted for by dropping them.
    if (p.closed) {
      await clearAlertPending(tx, p.venueId);
      continue;
    }
    const settings = await alertSettingsOf(tx, p.venueId);
    const decision = decideDigest(settings, await digestHistory(tx, p.venueId, day), now);
    if (decision === 'quiet' || decision === 'too_soon') continue;
    if (decision === 'send') {
      // SMS gateways cap a parameter's length; the venue's name is the only free text in the message.
      const venue = [...p.venueName].slice(0, VENUE_PARAM_MAX).join('');
      await insertDigest(tx, {
        venueId: p.venueId,
        template,
        params: { venue, fevers: p.fevers, reds: p.reds, since: shortTime(p.firstAt), until: shortTime(p.lastAt) },
        fevers: p.fevers,
        reds: p.reds,
        windowStart: windowStartOf(now),
        chinaDay: day,
        coversFrom: p.firstAt,
        coversUntil: p.lastAt,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
    await clearAlertPending(tx, p.venueId);
  }
  return pending.length;
}

/** Claims the due messages in the slice's transaction; sends them after it committed (see afterCommit). */
export async function sendSlice(tx: Tx, now: Date, senderOf: () => MessageSender) {
  const claimed = await claimDueMessages(tx, now, SEND_SLICE, retryDelayMs);
  const afterCommit = async (db: Db) => {
    const sender = senderOf();
    await Promise.all(
      claimed.map(async (m) => {
        try {
          await sender.send({
            phone: m.recipientPhone,
            kind: 'venue_digest',
            template: m.template,
            params: m.params,
            idempotencyKey: m.id,
          });
          await markMessageSent(db, m.id, now);
        } catch (error) {
          const giveUp = m.attempts >= MAX_ATTEMPTS;
          const reason = String((error as Error)?.cause ?? (error as Error)?.message ?? error);
          await markMessageFailed(db, m.id, reason, giveUp);
          const fields = { alertMessage: m.id, venue: m.venueId, attempt: m.attempts, err: reason };
          if (giveUp) log().error(fields, 'venue alert not delivered; gave up');
          else log().warn(fields, 'venue alert not delivered; it will retry');
        }
      }),
    );
  };
  return { claimed: claimed.length, afterCommit };
}
