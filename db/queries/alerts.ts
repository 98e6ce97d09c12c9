import 'server-only';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';
import { ALERT_DEFAULTS, accounts, alertMessages, venueAlertSettings, venues } from '@/db/schema';

// 短信提醒 (issue #18): the digest job's reads of the venues' fever and red-code notices, the settings the
// admin changes, and the life cycle of a message (pending → sent, or failed for good).

export type AlertSettings = { smsEnabled: boolean; quietStartMin: number | null; quietEndMin: number | null; dailyCap: number };

/** A venue's settings, or the defaults while it has no row. */
export async function alertSettingsOf(db: DbOrTx, venueId: string): Promise<AlertSettings> {
  const [row] = await db
    .select({
      smsEnabled: venueAlertSettings.smsEnabled,
      quietStartMin: venueAlertSettings.quietStartMin,
      quietEndMin: venueAlertSettings.quietEndMin,
      dailyCap: venueAlertSettings.dailyCap,
    })
    .from(venueAlertSettings)
    .where(eq(venueAlertSettings.venueId, venueId));
  return row ?? { ...ALERT_DEFAULTS };
}

/** Saves the admin's settings. */
export async function saveAlertSettings(tx: DbOrTx, venueId: string, s: AlertSettings, by: string, now: Date) {
  const values = { ...s, updatedAt: now, updatedBy: by };
  await tx
    .insert(venueAlertSettings)
    .values({ venueId, ...values })
    .onConflictDoUpdate({ target: venueAlertSettings.venueId, set: values });
}

export type PendingDigest = {
  venueId: string;
  venueName: string;
  closed: boolean;
  fevers: number;
  reds: number;
  firstAt: Date;
  lastAt: Date;
};

/**
 * Venues' unsent counts (alert_pending: a trigger on notices adds each fever or red-code venue notice),
 * locked for this transaction — SKIP LOCKED, so a notice being added right now is simply left for the next
 * tick — but not venues whose texts are held now (quiet hours at `chinaMinute`, or a text after
 * `lastBefore`): their rows wait, counting on. The digest job runs on one server at a time anyway.
 */
export async function pendingDigests(tx: DbOrTx, at: { chinaMinute: number; lastBefore: Date }, limit: number): Promise<PendingDigest[]> {
  const { chinaMinute: m, lastBefore } = at;
  // Settings with the defaults where a venue has no row (ALERT_DEFAULTS).
  const start = sql`case when s.venue_id is null then ${ALERT_DEFAULTS.quietStartMin}::int else s.quiet_start_min end`;
  const end = sql`case when s.venue_id is null then ${ALERT_DEFAULTS.quietEndMin}::int else s.quiet_end_min end`;
  const rows = rowsOf<{
    venue_id: string;
    venue_name: string;
    closed: boolean;
    fevers: number;
    reds: number;
    first_at: string;
    last_at: string;
  }>(
    await tx.execute(sql`
      select p.venue_id, v.name as venue_name, v.closed_at is not null as closed, p.fevers, p.reds, p.first_at, p.last_at
        from alert_pending p
        join venues v on v.id = p.venue_id
        left join venue_alert_settings s on s.venue_id = p.venue_id
       where not (coalesce(s.sms_enabled, true) and coalesce(
               (${start} < ${end} and ${m}::int >= ${start} and ${m}::int < ${end})
            or (${start} > ${end} and (${m}::int >= ${start} or ${m}::int < ${end})), false))
         and not exists (select 1 from alert_messages am
                          where am.venue_id = p.venue_id and am.created_at > ${lastBefore.toISOString()})
       order by p.venue_id
       limit ${limit}
         for update of p skip locked`),
  );
  return rows.map((r) => ({
    venueId: r.venue_id,
    venueName: r.venue_name,
    // SPEC L3: a closed venue's counts are dropped, never texted (a record sent late from before the closure).
    closed: Boolean(r.closed),
    fevers: r.fevers,
    reds: r.reds,
    firstAt: new Date(r.first_at),
    lastAt: new Date(r.last_at),
  }));
}

/** A venue's counts are accounted for (texted, or dropped: alerts off, the day's cap reached). The row is locked by pendingDigests. */
export async function clearAlertPending(tx: DbOrTx, venueId: string) {
  await tx.execute(sql`delete from alert_pending where venue_id = ${venueId}::uuid`);
}

/** The venue's latest message (for the 10-minute rule) and how many it got on a China day (the cap). */
export async function digestHistory(tx: DbOrTx, venueId: string, chinaDay: string) {
  const [last] = await tx
    .select({ createdAt: alertMessages.createdAt })
    .from(alertMessages)
    .where(eq(alertMessages.venueId, venueId))
    .orderBy(desc(alertMessages.createdAt))
    .limit(1);
  const [today] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(alertMessages)
    .where(and(eq(alertMessages.venueId, venueId), eq(alertMessages.chinaDay, chinaDay)));
  return { lastAt: last?.createdAt ?? null, today: Number(today?.n ?? 0) };
}

export type NewDigest = typeof alertMessages.$inferInsert;

export async function insertDigest(tx: DbOrTx, m: NewDigest) {
  const [row] = await tx.insert(alertMessages).values(m).onConflictDoNothing().returning({ id: alertMessages.id });
  return row?.id ?? null;
}

export type DueMessage = {
  id: string;
  venueId: string;
  template: string;
  params: Record<string, string | number>;
  attempts: number;
  recipientAccountId: string;
  recipientPhone: string;
};

/**
 * Claims up to `limit` pending messages that are due (SKIP LOCKED: two servers never claim one message):
 * one more attempt is counted, the next one is set `leaseMs` away (so a message whose sender died is
 * tried again then, with the same idempotency key), and the recipient is fixed as the venue's admin of
 * this moment.
 */
export async function claimDueMessages(tx: DbOrTx, now: Date, limit: number, leaseMs: (attempt: number) => number): Promise<DueMessage[]> {
  const due = await tx
    .select({
      id: alertMessages.id,
      venueId: alertMessages.venueId,
      template: alertMessages.template,
      params: alertMessages.params,
      attempts: alertMessages.attempts,
      adminId: venues.adminAccountId,
      phone: accounts.phone,
    })
    .from(alertMessages)
    .innerJoin(venues, eq(venues.id, alertMessages.venueId))
    .innerJoin(accounts, eq(accounts.id, venues.adminAccountId))
    // A deleted account has no phone (an admin closes or hands over the venue before deleting, SPEC L2).
    .where(
      and(
        eq(alertMessages.status, 'pending'),
        isNotNull(accounts.phone),
        // A closed venue texts nobody (its pending texts were given up at the closure, stopVenueAlerts).
        isNull(venues.closedAt),
        sql`${alertMessages.nextAttemptAt} <= ${now.toISOString()}`,
      ),
    )
    .orderBy(alertMessages.nextAttemptAt)
    .limit(limit)
    .for('update', { of: alertMessages, skipLocked: true });
  const claimed: DueMessage[] = [];
  for (const m of due) {
    const attempts = m.attempts + 1;
    await tx
      .update(alertMessages)
      .set({
        attempts,
        nextAttemptAt: new Date(now.getTime() + leaseMs(attempts)),
        recipientAccountId: m.adminId,
        recipientPhone: m.phone,
      })
      .where(eq(alertMessages.id, m.id));
    claimed.push({ ...m, attempts, recipientAccountId: m.adminId, recipientPhone: m.phone ?? '' });
  }
  return claimed;
}

export async function markMessageSent(db: DbOrTx, id: string, now: Date) {
  await db
    .update(alertMessages)
    .set({ status: 'sent', sentAt: now, lastError: null })
    .where(and(eq(alertMessages.id, id), eq(alertMessages.status, 'pending')));
}

/** A failed attempt: kept pending for the next one, or failed for good after the last. */
export async function markMessageFailed(db: DbOrTx, id: string, error: string, giveUp: boolean) {
  await db
    .update(alertMessages)
    .set({ lastError: error.slice(0, 500), ...(giveUp ? { status: 'failed' as const } : {}) })
    .where(and(eq(alertMessages.id, id), eq(alertMessages.status, 'pending')));
}

/** The last messages of a venue, for its settings page: when, counts, status (no phone: the page shows the admin's own). */
export async function recentMessagesOfVenue(db: DbOrTx, venueId: string, limit: number) {
  return db
    .select({
      id: alertMessages.id,
      createdAt: alertMessages.createdAt,
      sentAt: alertMessages.sentAt,
      fevers: alertMessages.fevers,
      reds: alertMessages.reds,
      status: alertMessages.status,
      attempts: alertMessages.attempts,
    })
    .from(alertMessages)
    .where(eq(alertMessages.venueId, venueId))
    .orderBy(desc(alertMessages.createdAt))
    .limit(limit);
}

/** SPEC L3: a venue closes: its unsent counts are dropped and its texts not yet delivered are given up. */
export async function stopVenueAlerts(tx: DbOrTx, venueId: string) {
  await clearAlertPending(tx, venueId);
  await tx
    .update(alertMessages)
    .set({ status: 'failed', lastError: 'venue_closed' })
    .where(and(eq(alertMessages.venueId, venueId), eq(alertMessages.status, 'pending')));
}
