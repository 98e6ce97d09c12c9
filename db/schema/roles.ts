import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

/** Roles granted to accounts. Venue roles live with venues; this holds the platform-wide ones. */
export const accountRoles = pgTable(
  'account_roles',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    role: text('role').notNull(),
    grantedByAccountId: uuid('granted_by_account_id'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * SPEC T1: the region the role acts in, a GB/T 2260 code of Guangdong: 44 (province), 4 digits
     * (city), 6 (district) or 9 (township). Officials granted before regions existed became province-level.
     */
    regionCode: varchar('region_code', { length: 12 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.role] }),
    check('account_roles_role_ck', sql`${t.role} in ('health_official')`),
    check('account_roles_region_ck', sql`${t.regionCode} ~ '^44([0-9]{2}|[0-9]{4}|[0-9]{7})?$'`),
  ],
);
