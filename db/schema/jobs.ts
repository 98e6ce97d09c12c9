import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per periodic job and period (lib/jobs): the row is claimed with INSERT … ON CONFLICT DO NOTHING,
 * so every app server agrees on which periods exist, and it is worked on under its own row lock (FOR
 * UPDATE SKIP LOCKED), one slice per transaction. `cursor` is where the next slice starts: a crash
 * mid-slice rolls that slice back and the next tick, on any server, resumes from the last committed one.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('pending'),
    cursor: jsonb('cursor'),
    /** Rows (or items) the slices have handled so far. */
    processed: bigint('processed', { mode: 'number' }).notNull().default(0),
    slices: integer('slices').notNull().default(0),
    /** Failed slices; a failed run waits until retry_at. */
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    retryAt: timestamp('retry_at', { withTimezone: true }),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.job, t.periodStart] }),
    index('job_runs_unfinished_idx')
      .on(t.job, t.periodStart)
      .where(sql`${t.finishedAt} is null`),
    check('job_runs_status_ck', sql`${t.status} in ('pending','done')`),
    check('job_runs_finished_ck', sql`(${t.status} = 'done') = (${t.finishedAt} is not null)`),
  ],
);
