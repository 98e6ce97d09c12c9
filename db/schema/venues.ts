import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { VENUE_TYPES } from '@/lib/venues/venue-types';
import { accounts } from './accounts';

/**
 * A public venue (V2). One admin per venue and one open venue per admin (V4, L3): admin_account_id is a
 * single column with a unique index over open venues. The invite code (场所申报码) is unique and never changes (V3): a trigger
 * refuses any update of it.
 */
export const venues = pgTable(
  'venues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    townshipCode: varchar('township_code', { length: 12 }).notNull(),
    address: text('address').notNull(),
    contactPhone: varchar('contact_phone', { length: 20 }).notNull(),
    inviteCode: varchar('invite_code', { length: 8 }).notNull(),
    bindingMode: text('binding_mode').notNull().default('approval'),
    adminAccountId: uuid('admin_account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // SPEC L3: a closed venue's invite code stops working for good (printed, never reused), its bindings
    // end, its records stay; the admin may open another venue. Reopened (same code) within 30 days.
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedByAccountId: uuid('closed_by_account_id'),
  },
  (t) => [
    uniqueIndex('venues_invite_code_uq').on(t.inviteCode),
    // V4: one admin ↔ one *open* venue.
    uniqueIndex('venues_admin_uq')
      .on(t.adminAccountId)
      .where(sql`${t.closedAt} is null`),
    // SPEC T1: the venues of an official's region, by code prefix (township_code LIKE '440106%').
    index('venues_township_idx').using('btree', sql`${t.townshipCode} text_pattern_ops`),
    // The list itself lives in a leaf module (the form and the validation read it too); one source.
    check('venues_type_ck', sql`${t.type} in (${sql.raw(VENUE_TYPES.map((v) => `'${v}'`).join(','))})`),
    check('venues_binding_mode_ck', sql`${t.bindingMode} in ('approval','immediate')`),
  ],
);

/**
 * A venue's entrances (多入口: 东门, 北门, 地下车库 …). Every venue has exactly one main entrance (its name
 * may be null: shown as 主入口 in the reader's language); records carry the entrance they were taken at.
 * Entrances are managed by the admin and only ever soft-deleted (removed_at): records keep naming them.
 */
export const venueEntrances = pgTable(
  'venue_entrances',
  {
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name'),
    isMain: boolean('is_main').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.venueId, t.id] }),
    uniqueIndex('venue_entrances_main_uq')
      .on(t.venueId)
      .where(sql`${t.isMain}`),
    uniqueIndex('venue_entrances_name_uq')
      .on(t.venueId, t.name)
      .where(sql`${t.removedAt} is null`),
    check('venue_entrances_name_ck', sql`${t.isMain} or ${t.name} is not null`),
    check('venue_entrances_main_kept_ck', sql`not (${t.isMain} and ${t.removedAt} is not null)`),
  ],
);

/** V6: every edit of the venue's information, so "at most once per natural week" is checked against history. */
export const venueInfoEdits = pgTable(
  'venue_info_edits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    editedByAccountId: uuid('edited_by_account_id').notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull(),
    before: text('before').notNull(),
    after: text('after').notNull(),
  },
  (t) => [index('venue_info_edits_venue_idx').on(t.venueId, t.editedAt)],
);

/**
 * A checker's binding to a venue, kept as a time range (requested, bound from, unbound at, by whom) so
 * "was this account a checker of this venue at 10:42 on Tuesday" has an exact answer. Pending bindings
 * have no bound_from: a pending checker cannot record anything.
 */
export const checkerBindings = pgTable(
  'checker_bindings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    displayName: text('display_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    boundFrom: timestamp('bound_from', { withTimezone: true }),
    approvedByAccountId: uuid('approved_by_account_id'),
    unboundAt: timestamp('unbound_at', { withTimezone: true }),
    unboundByAccountId: uuid('unbound_by_account_id'),
    endReason: text('end_reason'),
  },
  (t) => [
    // At most one open (pending or active) binding of an account at a venue.
    uniqueIndex('checker_bindings_open_uq')
      .on(t.venueId, t.accountId)
      .where(sql`${t.unboundAt} is null`),
    index('checker_bindings_account_idx').on(t.accountId),
    index('checker_bindings_venue_idx').on(t.venueId, t.boundFrom),
    check(
      'checker_bindings_end_reason_ck',
      sql`${t.endReason} is null or ${t.endReason} in ('self','removed','rejected','became_admin','venue_closed','account_deleted')`,
    ),
    check('checker_bindings_range_ck', sql`${t.unboundAt} is null or ${t.boundFrom} is null or ${t.unboundAt} >= ${t.boundFrom}`),
  ],
);

/** V8: a removed checker stays blocked from re-binding with the fixed code until the admin allows them again. */
export const checkerRemovals = pgTable(
  'checker_removals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    displayName: text('display_name').notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }).notNull(),
    removedByAccountId: uuid('removed_by_account_id').notNull(),
    allowedAgainAt: timestamp('allowed_again_at', { withTimezone: true }),
    allowedAgainByAccountId: uuid('allowed_again_by_account_id'),
  },
  (t) => [
    uniqueIndex('checker_removals_active_uq')
      .on(t.venueId, t.accountId)
      .where(sql`${t.allowedAgainAt} is null`),
  ],
);

/** V4/V7: replacing the admin is an invitation the new admin accepts; it expires after 72 hours. */
export const adminReplacements = pgTable(
  'admin_replacements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    fromAccountId: uuid('from_account_id').notNull(),
    toPhone: varchar('to_phone', { length: 11 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('pending'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('admin_replacements_pending_uq')
      .on(t.venueId)
      .where(sql`${t.status} = 'pending'`),
    index('admin_replacements_to_phone_idx').on(t.toPhone, t.status),
    check('admin_replacements_status_ck', sql`${t.status} in ('pending','accepted','cancelled')`),
  ],
);
