import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  jsonb,
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
 * 流调 (SPEC T2–T4): a case is a person (by document), a kind (an H1 red reason), an index date, a
 * look-back window and a co-presence window. Nothing of a case is deleted (triggers refuse it); its
 * history is `trace_case_events`. `region_code` is the region of the official who opened it (GB/T 2260
 * prefix); visits outside it are handed off (`trace_handoffs`).
 */
export const traceCases = pgTable(
  'trace_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    idHash: text('id_hash').notNull(),
    kind: text('kind').notNull(),
    indexDate: date('index_date').notNull(),
    lookbackFrom: timestamp('lookback_from', { withTimezone: true }).notNull(),
    /** Null: up to now. */
    lookbackTo: timestamp('lookback_to', { withTimezone: true }),
    windowMinutes: smallint('window_minutes').notNull().default(30),
    regionCode: varchar('region_code', { length: 12 }).notNull(),
    status: text('status').notNull().default('open'),
    openedByAccountId: uuid('opened_by_account_id').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedByAccountId: uuid('closed_by_account_id'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('trace_cases_open_person_idx')
      .on(t.personId)
      .where(sql`${t.status} = 'open'`),
    index('trace_cases_region_idx').on(t.regionCode, t.openedAt),
    check(
      'trace_cases_kind_ck',
      sql`${t.kind} in ('confirmed','suspected','close_contact','other_province','centralised_isolation','home_isolation')`,
    ),
    check(
      'trace_cases_status_ck',
      sql`(${t.status} = 'open' and ${t.closedAt} is null) or (${t.status} = 'closed' and ${t.closedAt} is not null)`,
    ),
    check('trace_cases_window_ck', sql`${t.windowMinutes} between 1 and 240`),
    check('trace_cases_lookback_ck', sql`${t.lookbackTo} is null or ${t.lookbackTo} > ${t.lookbackFrom}`),
  ],
);

export const TRACE_EVENT_KINDS = [
  'opened',
  'window_changed',
  'contacts_marked',
  'contacts_cleared',
  'handed_off',
  'exported',
  'closed',
] as const;
export type TraceEventKind = (typeof TRACE_EVENT_KINDS)[number];

/** A case's timeline. Append-only (refuse_change). */
export const traceCaseEvents = pgTable(
  'trace_case_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => traceCases.id),
    kind: text('kind').notNull(),
    actorAccountId: uuid('actor_account_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('trace_case_events_case_idx').on(t.caseId, t.at),
    check('trace_case_events_kind_ck', sql.raw(`kind in (${TRACE_EVENT_KINDS.map((k) => `'${k}'`).join(',')})`)),
  ],
);

/**
 * Contacts marked red (密切接触者) for a case: one row per (case, document), so marking is idempotent.
 * Cleared (back to green when isolation ends) sets `cleared_at`; a row is never deleted.
 */
export const traceCaseContacts = pgTable(
  'trace_case_contacts',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => traceCases.id),
    idHash: text('id_hash').notNull(),
    personId: uuid('person_id'),
    markedByAccountId: uuid('marked_by_account_id').notNull(),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
    clearedByAccountId: uuid('cleared_by_account_id'),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.idHash] }), index('trace_case_contacts_hash_idx').on(t.idHash)],
);

/**
 * A visit of a case at a venue outside the opening official's region, handed to the officials whose
 * region contains the visit's township (SPEC T4). One per (case, visit).
 */
export const traceHandoffs = pgTable(
  'trace_handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => traceCases.id),
    venueId: uuid('venue_id').notNull(),
    checkinId: uuid('checkin_id').notNull(),
    /** The township on the visit's record (or the venue's): officials whose region is a prefix of it receive it. */
    townshipCode: varchar('township_code', { length: 12 }).notNull(),
    fromRegionCode: varchar('from_region_code', { length: 12 }).notNull(),
    createdByAccountId: uuid('created_by_account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('trace_handoffs_visit_uq').on(t.caseId, t.venueId, t.checkinId),
    index('trace_handoffs_township_idx').on(t.townshipCode, t.createdAt),
  ],
);

/** SPEC T6: a red code found at a door, followed up by the region's officials (已核实 / 已处置). */
export const doorRedFollowups = pgTable(
  'door_red_followups',
  {
    venueId: uuid('venue_id').notNull(),
    checkinId: uuid('checkin_id').notNull(),
    status: text('status').notNull(),
    note: text('note'),
    byAccountId: uuid('by_account_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.venueId, t.checkinId] }),
    check('door_red_followups_status_ck', sql`${t.status} in ('verified','handled')`),
  ],
);

/**
 * SPEC L2: a resident asks an official to correct the name, birth date or gender of a passport or permit
 * holder (the mainland ID derives birth date and gender from its number). An official whose region
 * covers the person applies or refuses it, with a reason; it applies from then on — past records keep
 * the facts they were stored with.
 */
export const identityCorrections = pgTable(
  'identity_corrections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull(),
    requestedByAccountId: uuid('requested_by_account_id').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** What the resident asks for, in their words (no document number). */
    note: text('note'),
    status: text('status').notNull().default('pending'),
    resolvedByAccountId: uuid('resolved_by_account_id'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    reason: text('reason'),
    /** The fields changed (names of fields only: the values are encrypted on the person). */
    changedFields: jsonb('changed_fields').$type<string[]>(),
  },
  (t) => [
    index('identity_corrections_person_idx').on(t.personId, t.requestedAt),
    uniqueIndex('identity_corrections_pending_uq')
      .on(t.personId)
      .where(sql`${t.status} = 'pending'`),
    check('identity_corrections_status_ck', sql`${t.status} in ('pending','applied','refused','withdrawn')`),
  ],
);
