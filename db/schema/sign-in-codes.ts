import { index, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** One-time sign-in codes. Only a keyed hash of the code is stored; the IP is kept as a keyed hash too. */
export const signInCodes = pgTable(
  'sign_in_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: varchar('phone', { length: 11 }).notNull(),
    codeHash: text('code_hash').notNull(),
    ipHash: text('ip_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
  },
  (t) => [
    index('sign_in_codes_phone_idx').on(t.phone, t.createdAt),
    index('sign_in_codes_ip_idx').on(t.ipHash, t.createdAt),
    // The retention job deletes codes older than 24 hours (the daily per-phone limit looks no further back).
    index('sign_in_codes_created_idx').on(t.createdAt),
  ],
);
