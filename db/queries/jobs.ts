import 'server-only';
import { and, asc, eq, isNull, lte, max, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx, type Tx } from '@/db';
import { jobRuns } from '@/db/schema';

// The ledger of periodic jobs (db/schema/jobs.ts) and the lock of continuous ones; the runner is lib/jobs.

/** The newest period of a job ever claimed, or null for a job that never ran. */
export async function latestJobPeriod(db: DbOrTx, job: string): Promise<Date | null> {
  const [row] = await db
    .select({ latest: max(jobRuns.periodStart) })
    .from(jobRuns)
    .where(eq(jobRuns.job, job));
  return row?.latest ?? null;
}

/** Claims periods of a job; a period another server claimed first is left as it is. */
export async function claimJobPeriods(db: DbOrTx, job: string, periodStarts: Date[], now: Date): Promise<void> {
  if (periodStarts.length === 0) return;
  await db
    .insert(jobRuns)
    .values(periodStarts.map((periodStart) => ({ job, periodStart, claimedAt: now })))
    .onConflictDoNothing();
}

/** Periods of a job not finished yet, oldest first; with `now`, not those waiting out a failure. */
export async function unfinishedJobPeriods(db: DbOrTx, job: string, now: Date | null): Promise<Date[]> {
  const ready = now ? or(isNull(jobRuns.retryAt), lte(jobRuns.retryAt, now)) : undefined;
  const rows = await db
    .select({ periodStart: jobRuns.periodStart })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), isNull(jobRuns.finishedAt), ready))
    .orderBy(asc(jobRuns.periodStart));
  return rows.map((r) => r.periodStart);
}

/**
 * Locks one unfinished run for this transaction, or null when it is finished or another server is working
 * on it right now (SKIP LOCKED: the other server's slice holds the row until it commits or dies).
 */
export async function lockJobRun(tx: Tx, job: string, periodStart: Date) {
  const [row] = await tx
    .select({ cursor: jobRuns.cursor, processed: jobRuns.processed })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodStart, periodStart), isNull(jobRuns.finishedAt)))
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** Records a slice's progress in the slice's own transaction: the cursor commits with the work. */
export async function saveJobSlice(
  tx: Tx,
  job: string,
  periodStart: Date,
  slice: { cursor: unknown; processed: number; done: boolean; now: Date },
) {
  await tx
    .update(jobRuns)
    .set({
      cursor: slice.cursor ?? null,
      processed: sql`${jobRuns.processed} + ${slice.processed}`,
      slices: sql`${jobRuns.slices} + 1`,
      retryAt: null,
      ...(slice.done ? { status: 'done', finishedAt: slice.now } : {}),
    })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodStart, periodStart)));
}

/** A slice failed (and rolled back): the run keeps its cursor and waits until `retryAt`. */
export async function recordJobFailure(db: DbOrTx, job: string, periodStart: Date, error: string, retryAt: Date) {
  await db
    .update(jobRuns)
    .set({ failures: sql`${jobRuns.failures} + 1`, lastError: error.slice(0, 2000), retryAt })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodStart, periodStart), isNull(jobRuns.finishedAt)));
}

/** One run of a job (status pages, tests). */
export async function jobRun(db: DbOrTx, job: string, periodStart: Date) {
  const [row] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodStart, periodStart)));
  return row ?? null;
}

/** A transaction-scoped advisory lock: one server at a time runs a continuous job's slice; others skip. */
export async function tryJobLock(tx: Tx, key: number): Promise<boolean> {
  const [row] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${key}) as ok`));
  return row?.ok === true;
}
