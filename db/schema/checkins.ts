import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * A temperature check-in (SPEC "Check-in records"). Append-only (a trigger refuses UPDATE and DELETE):
 * a mistake is corrected by a newer record that supersedes it (V12). Built to be sharded by venue: the
 * venue id leads the primary key and every unique constraint.
 *
 * Supersede links are written only on insert: `supersedes_id` names the record this one corrects; a late
 * record that arrives after a newer one of the same person is stored with `superseded_by_id` already set.
 * A record counts in statistics when no record supersedes it and it was not stored superseded.
 */
export const checkins = pgTable(
  'checkins',
  {
    venueId: uuid('venue_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    clientId: uuid('client_id').notNull(),
    checkerAccountId: uuid('checker_account_id').notNull(),
    // Cut (set null) only by the retention job and by erasing a person (SPEC L2, L4), through the owner's
    // functions; the append-only trigger allows that one change and nothing else (migration 0018).
    personId: uuid('person_id'),
    method: text('method').notNull(),
    // Tenths of a degree Celsius (366 = 36.6 °C): exact, and small. Null for quick check-ins (normal).
    temperatureDeci: smallint('temperature_deci'),
    fever: boolean('fever').notNull(),
    colour: text('colour').notNull(),
    redReason: text('red_reason'),
    supersedesId: uuid('supersedes_id'),
    supersededById: uuid('superseded_by_id'),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    clockOffsetMs: integer('clock_offset_ms').notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    late: boolean('late').notNull(),
    payloadHash: text('payload_hash').notNull(),
    // Facts fixed at the time of the visit (migration 0015; null on records stored before it): the
    // entrance, the person's gender and age band then, the venue's township then. Statistics and tracing
    // read these, so a later correction of a person or venue (or a retention job) changes no past number.
    entranceId: uuid('entrance_id'),
    gender: varchar('gender', { length: 1 }),
    ageBand: text('age_band'),
    townshipCode: varchar('township_code', { length: 12 }),
    // Stored late and flagged: made with a code that was re-issued after the record's effective time, or
    // by a checker whose binding ended after it (removed, unbound) — accepted only as late arrivals.
    codeReissued: boolean('code_reissued').notNull().default(false),
    checkerUnbound: boolean('checker_unbound').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.venueId, t.id] }),
    uniqueIndex('checkins_client_uq').on(t.venueId, t.clientId),
    // A record has at most one successor.
    uniqueIndex('checkins_successor_uq')
      .on(t.venueId, t.supersedesId)
      .where(sql`${t.supersedesId} is not null`),
    index('checkins_person_idx').on(t.venueId, t.personId, t.effectiveAt),
    index('checkins_time_idx').on(t.venueId, t.effectiveAt),
    index('checkins_checker_idx').on(t.venueId, t.checkerAccountId, t.effectiveAt),
    // A resident's own records across venues (我的粤康码信息); on a sharded cluster this fans out.
    index('checkins_person_global_idx').on(t.personId, t.effectiveAt),
    // SPEC L4: the records still linked to a person, oldest first, for the retention job's cut.
    index('checkins_linked_time_idx')
      .on(t.effectiveAt)
      .where(sql`${t.personId} is not null`),
    // SPEC T6: the red codes found at a venue's door, by time (a small part of the records).
    index('checkins_red_time_idx')
      .on(t.venueId, t.effectiveAt)
      .where(sql`${t.colour} = 'red'`),
    check('checkins_method_ck', sql`${t.method} in ('scan','quick','typed')`),
    check('checkins_colour_ck', sql`${t.colour} in ('green','red')`),
    check(
      'checkins_temperature_ck',
      sql`(${t.method} = 'quick' and ${t.temperatureDeci} is null and not ${t.fever}) or (${t.method} <> 'quick' and ${t.temperatureDeci} between 340 and 430 and ${t.fever} = (${t.temperatureDeci} >= 373))`,
    ),
  ],
);

/**
 * Persons erased while some of their records were still queued for the rollups (the drain counts
 * visitor-days by person): person_erase leaves those links, and the retention function cuts them once
 * drained, then forgets the id. Only the owner's functions touch it (the app has no privilege on it).
 */
export const erasedPersonLinks = pgTable('erased_person_links', {
  personId: uuid('person_id').primaryKey(),
  erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
});
