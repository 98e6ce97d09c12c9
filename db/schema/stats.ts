import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

// Statistics for 我的场所 → 数据统计 (V5), exact at any size. The door's transaction only appends a row to
// the rollup queue (a new row, never a shared hot one). A drain step takes queued rows with
// DELETE … FOR UPDATE SKIP LOCKED and applies each record's contribution — and, for a correction, the
// removal of the record it supersedes — to the rollups in the same transaction, so every record is
// counted exactly once with no watermark. Dashboard reads add the rows still queued. All keys lead with
// the venue, so everything shards by venue.

export const checkinRollupQueue = pgTable(
  'checkin_rollup_queue',
  {
    venueId: uuid('venue_id').notNull(),
    id: integer('id').generatedAlwaysAsIdentity(),
    checkinId: uuid('checkin_id').notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.id] }), index('checkin_rollup_queue_id_idx').on(t.id)],
);

/** Per venue and China day: standing records, fevers, red codes, quick check-ins, distinct visitors. */
export const venueDayStats = pgTable(
  'venue_day_stats',
  {
    venueId: uuid('venue_id').notNull(),
    day: date('day').notNull(),
    checkins: integer('checkins').notNull().default(0),
    fevers: integer('fevers').notNull().default(0),
    reds: integer('reds').notNull().default(0),
    quick: integer('quick').notNull().default(0),
    visitors: integer('visitors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.day] })],
);

export const venueHourStats = pgTable(
  'venue_hour_stats',
  {
    venueId: uuid('venue_id').notNull(),
    day: date('day').notNull(),
    hour: smallint('hour').notNull(),
    checkins: integer('checkins').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.day, t.hour] })],
);

/**
 * A person counted once per day they visited (visitor-days), with how many standing records they have.
 * SPEC L4: once no record of the day can arrive or change any more, the retention job (and erasing the
 * person) replaces `person_id` by a random id and sets `anonymous`: the row still counts, as nobody's.
 */
export const venueVisitorDays = pgTable(
  'venue_visitor_days',
  {
    venueId: uuid('venue_id').notNull(),
    day: date('day').notNull(),
    personId: uuid('person_id').notNull(),
    records: integer('records').notNull().default(0),
    /** Standing fever records of the visitor that day: 发热人数 counts the rows with some. */
    fevers: integer('fevers').notNull().default(0),
    anonymous: boolean('anonymous').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.venueId, t.day, t.personId] }),
    // Rows still keyed by a person: by day for the retention job, by person for erasing one.
    index('venue_visitor_days_linked_day_idx')
      .on(t.day)
      .where(sql`not ${t.anonymous}`),
    index('venue_visitor_days_person_idx')
      .on(t.personId)
      .where(sql`not ${t.anonymous}`),
    index('venue_visitor_days_fever_idx')
      .on(t.venueId, t.day)
      .where(sql`${t.fevers} > 0`),
  ],
);

/** Visitor-days by gender and age band (age on the day of the visit). */
export const venueDayDemographics = pgTable(
  'venue_day_demographics',
  {
    venueId: uuid('venue_id').notNull(),
    day: date('day').notNull(),
    gender: varchar('gender', { length: 1 }).notNull(),
    ageBand: text('age_band').notNull(),
    visitors: integer('visitors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.day, t.gender, t.ageBand] })],
);

export const checkerDayStats = pgTable(
  'checker_day_stats',
  {
    venueId: uuid('venue_id').notNull(),
    checkerAccountId: uuid('checker_account_id').notNull(),
    day: date('day').notNull(),
    records: integer('records').notNull().default(0),
    fevers: integer('fevers').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.checkerAccountId, t.day] })],
);

/**
 * Per venue, entrance and China day: standing records and fevers (多入口). Additive beside the venue's
 * rollups (whose keys stay): filled by the drain for records that carry an entrance (from migration 0015
 * on); records stored before it have none and appear as the venue total minus the entrances' sum.
 */
export const venueEntranceDayStats = pgTable(
  'venue_entrance_day_stats',
  {
    venueId: uuid('venue_id').notNull(),
    entranceId: uuid('entrance_id').notNull(),
    day: date('day').notNull(),
    checkins: integer('checkins').notNull().default(0),
    fevers: integer('fevers').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.entranceId, t.day] })],
);

/**
 * The sunflower code's short link (/q/<id>): a short id standing for a signed quick check-in token, so
 * the QR stays small and easy to scan. Kept until the token expires; the job runner prunes it after.
 */
export const quickLinks = pgTable(
  'quick_links',
  {
    id: varchar('id', { length: 16 }).primaryKey(),
    venueId: uuid('venue_id').notNull(),
    token: text('token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quick_links_expires_idx').on(t.expiresAt)],
);
