import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only record of who did what. Written in the same transaction as the change it describes. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorAccountId: uuid('actor_account_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** The venue the action concerns, when it concerns one: lets a venue's history be read without parsing details. */
    venueId: uuid('venue_id'),
    /** Why, in the actor's words or as a code (an official's stated reason for a read or a change). */
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_actor_idx').on(t.actorAccountId, t.at),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_venue_idx').on(t.venueId, t.at),
  ],
);
