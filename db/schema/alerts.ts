import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { venues } from './venues';

/** Quiet hours and cap when a venue has no settings row yet (the admin never changed them). */
export const ALERT_DEFAULTS = { smsEnabled: true, quietStartMin: 22 * 60, quietEndMin: 7 * 60, dailyCap: 20 } as const;

/**
 * 短信提醒 (issue #18): how a venue's fever and red-code notices reach its admin's phone as digests.
 * Quiet hours are minutes of the China day, [start, end) wrapping past midnight; both null = none.
 * No row = the defaults above.
 */
export const venueAlertSettings = pgTable(
  'venue_alert_settings',
  {
    venueId: uuid('venue_id')
      .primaryKey()
      .references(() => venues.id),
    smsEnabled: boolean('sms_enabled').notNull().default(ALERT_DEFAULTS.smsEnabled),
    quietStartMin: smallint('quiet_start_min').default(ALERT_DEFAULTS.quietStartMin),
    quietEndMin: smallint('quiet_end_min').default(ALERT_DEFAULTS.quietEndMin),
    dailyCap: smallint('daily_cap').notNull().default(ALERT_DEFAULTS.dailyCap),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => accounts.id),
  },
  (t) => [
    check(
      'venue_alert_settings_quiet_ck',
      sql`(${t.quietStartMin} is null and ${t.quietEndMin} is null)
       or (${t.quietStartMin} between 0 and 1439 and ${t.quietEndMin} between 0 and 1439 and ${t.quietStartMin} <> ${t.quietEndMin})`,
    ),
    check('venue_alert_settings_cap_ck', sql`${t.dailyCap} between 1 and 50`),
  ],
);

export const ALERT_MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type AlertMessageStatus = (typeof ALERT_MESSAGE_STATUSES)[number];

/**
 * One text to a venue's admin: made by the digest job, sent by the send job. `window_start` is the
 * 10-minute window it was made in: unique per venue, so never two in one window whatever the code does.
 * The recipient is resolved when it is sent (the admin of that moment) and kept as it was then.
 * `id` is the idempotency key the gateway sees on every attempt of this message.
 */
export const alertMessages = pgTable(
  'alert_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    kind: text('kind').$type<'venue_digest'>().notNull().default('venue_digest'),
    template: text('template').notNull(),
    /** Counts and times only: never a visitor, not even masked. */
    params: jsonb('params').$type<Record<string, string | number>>().notNull(),
    fevers: integer('fevers').notNull(),
    reds: integer('reds').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    chinaDay: date('china_day', { mode: 'string' }).notNull(),
    coversFrom: timestamp('covers_from', { withTimezone: true }).notNull(),
    coversUntil: timestamp('covers_until', { withTimezone: true }).notNull(),
    status: text('status').$type<AlertMessageStatus>().notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    recipientAccountId: uuid('recipient_account_id').references(() => accounts.id),
    recipientPhone: varchar('recipient_phone', { length: 11 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alert_messages_window_uq').on(t.venueId, t.windowStart),
    index('alert_messages_venue_idx').on(t.venueId, t.createdAt),
    // The retention job deletes texts older than the retention period (they name the admin's phone).
    index('alert_messages_created_idx').on(t.createdAt),
    index('alert_messages_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    check('alert_messages_kind_ck', sql`${t.kind} in ('venue_digest')`),
    check('alert_messages_status_ck', sql`${t.status} in ('pending','sent','failed')`),
  ],
);

/**
 * What each venue's next digest will say: a trigger on notices (migration 0017) adds every fever or
 * red-code venue notice to its venue's row, in the transaction that makes the notice. The digest job reads
 * only these rows, locked (FOR UPDATE SKIP LOCKED), and deletes a row once it is texted or dropped, in the
 * same transaction: a notice committed at any moment is counted exactly once — in the row the job took, or
 * in the new row its trigger makes after the job's delete (no cursor in time, so no late commit is missed).
 */
export const alertPending = pgTable('alert_pending', {
  venueId: uuid('venue_id')
    .primaryKey()
    .references(() => venues.id),
  fevers: integer('fevers').notNull().default(0),
  reds: integer('reds').notNull().default(0),
  /** When the first and the latest of them happened (the records' effective times). */
  firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
});
