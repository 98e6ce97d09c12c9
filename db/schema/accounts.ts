import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * An account is a phone number that signs in. A deleted account (SPEC L2) keeps its row (records and
 * audit name its id) but not its phone: `phone` is null exactly when `deleted_at` is set, and the number
 * is free for a new account.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: varchar('phone', { length: 11 }).unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [check('accounts_deleted_ck', sql`(${t.phone} is null) = (${t.deletedAt} is not null)`)],
);

/**
 * A change of an account's phone number (SPEC L2). `signed_in`: asked while signed in, proved with a code
 * to the new number, done at once (the row is its record). `recovery`: the old number is lost; proved
 * with the new number's code plus the account's own person's document and name (real-name verifier),
 * done by a job after a cooling-off period during which the old number and the guardians are told and
 * anyone of them can stop it. Either way every session of the account ends.
 */
export const accountPhoneChanges = pgTable(
  'account_phone_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    oldPhone: varchar('old_phone', { length: 11 }),
    newPhone: varchar('new_phone', { length: 11 }).notNull(),
    mode: text('mode').$type<'signed_in' | 'recovery'>().notNull(),
    status: text('status').$type<'pending' | 'completed' | 'stopped' | 'failed'>().notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** When it takes effect: the request itself (signed in), or the end of the cooling-off period. */
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    stoppedByAccountId: uuid('stopped_by_account_id'),
    /** Why it failed or was stopped (e.g. `phone_taken` when the new number got an account meanwhile). */
    outcome: text('outcome'),
  },
  (t) => [
    uniqueIndex('account_phone_changes_pending_uq')
      .on(t.accountId)
      .where(sql`${t.status} = 'pending'`),
    uniqueIndex('account_phone_changes_new_phone_uq')
      .on(t.newPhone)
      .where(sql`${t.status} = 'pending'`),
    index('account_phone_changes_due_idx')
      .on(t.effectiveAt)
      .where(sql`${t.status} = 'pending'`),
    check('account_phone_changes_mode_ck', sql`${t.mode} in ('signed_in','recovery')`),
    check('account_phone_changes_status_ck', sql`${t.status} in ('pending','completed','stopped','failed')`),
  ],
);

/**
 * Deleting an account (SPEC L2), after a cooling-off period (the user may cancel until `effective_at`).
 * The job that carries it out ends sessions and guardianships, erases the account's own person unless
 * other guardians still guard them, frees the phone and sets accounts.deleted_at.
 */
export const accountDeletions = pgTable(
  'account_deletions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    status: text('status').$type<'pending' | 'completed' | 'cancelled'>().notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('account_deletions_pending_uq')
      .on(t.accountId)
      .where(sql`${t.status} = 'pending'`),
    index('account_deletions_due_idx')
      .on(t.effectiveAt)
      .where(sql`${t.status} = 'pending'`),
    check('account_deletions_status_ck', sql`${t.status} in ('pending','completed','cancelled')`),
  ],
);

/**
 * A server-side session. next-auth's Credentials provider only issues JWTs; the JWT carries this
 * row's id, and requireUser checks the row on every request, so revoking rows signs devices out.
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('auth_sessions_account_idx').on(t.accountId),
    // The retention job deletes ended sessions: expired, or revoked.
    index('auth_sessions_expires_idx').on(t.expiresAt),
    index('auth_sessions_revoked_idx')
      .on(t.revokedAt)
      .where(sql`${t.revokedAt} is not null`),
  ],
);
