import 'server-only';
import type { Db, Tx } from '@/db';

// A background job, run by every app server's job runner (lib/jobs/runner.ts) and done once across them.
// Adding one is a declaration in lib/jobs/jobs.ts: a name, a period and a slice function.

export type SliceContext<Cursor> = {
  /** The period this run is for (periodic jobs); null for a continuous job. */
  period: { start: Date; end: Date } | null;
  /** Where the previous committed slice of this run stopped; null for the first slice. */
  cursor: Cursor | null;
  /** The runner's tick time: use it instead of the clock, so tests can pass any time. */
  now: Date;
  kind: 'pglite' | 'postgres';
};

export type SliceResult<Cursor> = {
  /** Items handled by this slice (kept as the run's progress). */
  processed: number;
  /** True when the run has nothing left to do. */
  done: boolean;
  /** Where the next slice starts (committed with this slice's work). */
  cursor?: Cursor | null;
  /**
   * Continuous jobs only: work that must not hold the slice's transaction open (a call to another system:
   * the SMS gateway), run after the slice committed. What it finds out it records in transactions of its own.
   */
  afterCommit?: (db: Db) => Promise<void>;
};

/**
 * Each lane is its own loop on the runner's tick (lib/jobs/runner.ts, startJobLanes), so a slow job never
 * holds up a job of the other lane. `fast`: work someone is waiting to see (the inbox fan-out, the rollup
 * drain) — short slices, no call to another system. `slow` (the default): everything else — sending texts,
 * retention, pruning, account life cycles.
 */
export type JobLane = 'fast' | 'slow';

export type Job<Cursor = unknown> = {
  /** Stable name: the key of the job's rows in job_runs. */
  name: string;
  /**
   * Periodic job: its period in milliseconds (periods are aligned to the Unix epoch). Each period is
   * claimed once in job_runs and done once across all servers. Omitted: a continuous job, run every tick
   * by one server at a time (advisory lock), with no ledger — for work that is always "whatever is queued".
   */
  everyMs?: number;
  /** After downtime, how many missed periods (the newest ones, the current one included) are run. Default 24. */
  catchUp?: number;
  /** The loop this job runs in; default `slow`. */
  lane?: JobLane;
  /** Continuous jobs: the advisory lock key. Default: derived from the name. */
  lockKey?: number;
  /** Does a bounded piece of work in `tx` (the run's row is locked in the same transaction). */
  // Method syntax on purpose: a Job<{ id: string }> is then usable where a Job<unknown> is listed.
  slice(tx: Tx, ctx: SliceContext<Cursor>): Promise<SliceResult<Cursor>>;
};

/** Declares a job; checks the declaration once, at start-up. */
export function defineJob<Cursor = unknown>(job: Job<Cursor>): Job<Cursor> {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(job.name)) throw new Error(`job name ${job.name}: lower-case words joined by -`);
  if (job.everyMs !== undefined && (!Number.isInteger(job.everyMs) || job.everyMs < 1000)) {
    throw new Error(`job ${job.name}: everyMs must be a whole number of milliseconds, at least 1000`);
  }
  if (job.catchUp !== undefined && (!Number.isInteger(job.catchUp) || job.catchUp < 1)) {
    throw new Error(`job ${job.name}: catchUp ≥ 1`);
  }
  return job;
}

export function laneOf(job: Pick<Job, 'lane'>): JobLane {
  return job.lane ?? 'slow';
}

/** A 32-bit advisory lock key from a job's name (FNV-1a), in a range the app's fixed keys do not use. */
export function lockKeyOf(job: Pick<Job, 'name' | 'lockKey'>): number {
  if (job.lockKey !== undefined) return job.lockKey;
  let h = 0x811c9dc5;
  for (const ch of `job:${job.name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return 9_000_000_000 + h;
}
