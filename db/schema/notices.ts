import { sql } from 'drizzle-orm';
import { bigserial, check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { venues } from './venues';

/** What a notice is about (lib/notices). Visitors appear in a notice masked, as on the dashboard. */
export const NOTICE_KINDS = [
  'fever',
  'red_code',
  'checker_pending',
  'admin_invitation',
  'binding_approved',
  'binding_removed',
  // SPEC L1–L3 (#19)
  'link_request',
  'link_result',
  'guardian_added',
  'guardian_removed',
  'code_reissued',
  'phone_change',
  'account_deletion',
  'venue_closed',
  // SPEC T1–T4, L2 (#20): a person marked a close contact (to their own account and guardians) or cleared;
  // a case's visit handed to a region (to its officials); an official role granted, changed or revoked;
  // an identity corrected by an official (to the person's own account and guardians).
  'close_contact',
  'close_contact_cleared',
  'case_handoff',
  'official_role',
  'identity_corrected',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * The inbox (通知). Who reads a notice is its audience:
 *  - `venue_admin`: the venue's admin of the moment (a replaced admin no longer sees them; the new one does);
 *  - `account`: one account (a checker told of an approval or a removal);
 *  - `phone`: whoever signs in with that phone (an admin-replacement invitation to a phone that may have
 *    no account yet).
 * `source` makes creating a notice idempotent (exactly once per event: the outbox's checkin, an invitation).
 * Notices are never edited; read state is per account (notice_reads).
 */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<NoticeKind>().notNull(),
    audience: text('audience').$type<'venue_admin' | 'account' | 'phone'>().notNull(),
    venueId: uuid('venue_id').references(() => venues.id),
    accountId: uuid('account_id').references(() => accounts.id),
    phone: varchar('phone', { length: 11 }),
    /** Masked, message-ready values (temperature, masked name, checker's display name, venue name…). */
    params: jsonb('params').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    source: text('source').unique(),
    /** When what the notice tells of happened (the record's effective time), else when it was created. */
    happenedAt: timestamp('happened_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notices_venue_idx')
      .on(t.venueId, t.createdAt)
      .where(sql`${t.audience} = 'venue_admin'`),
    index('notices_account_idx')
      .on(t.accountId, t.createdAt)
      .where(sql`${t.audience} = 'account'`),
    index('notices_phone_idx')
      .on(t.phone, t.createdAt)
      .where(sql`${t.audience} = 'phone'`),
    // prune-notices (lib/jobs/jobs.ts) finds old notices by age alone.
    index('notices_created_idx').on(t.createdAt),
    check('notices_kind_ck', sql`${t.kind} in (${sql.raw(NOTICE_KINDS.map((k) => `'${k}'`).join(','))})`),
    check(
      'notices_audience_ck',
      sql`(${t.audience} = 'venue_admin' and ${t.venueId} is not null and ${t.accountId} is null and ${t.phone} is null)
       or (${t.audience} = 'account' and ${t.accountId} is not null and ${t.phone} is null)
       or (${t.audience} = 'phone' and ${t.phone} is not null and ${t.accountId} is null)`,
    ),
  ],
);

/** Read state, per account and notice (a venue notice read by one admin is unread for the next). */
export const noticeReads = pgTable(
  'notice_reads',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.noticeId] })],
);

/**
 * The door's outbox: a fever or a red code stored at the door adds a row here in the same transaction (a
 * trigger on checkins, migration 0016), and nothing else happens on the door's path. The notice job
 * (lib/jobs/jobs.ts, `notice-fanout`) turns rows into venue notices exactly once and deletes them.
 */
export const noticeOutbox = pgTable(
  'notice_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    /** The stored record (checkins has no foreign keys pointing at it: it may be partitioned, docs/scaling.md). */
    checkinId: uuid('checkin_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notice_outbox_checkin_idx').on(t.checkinId)],
);
