import 'server-only';
import type { DatabaseHandle } from '@/db';
import {
  claimJobPeriods,
  latestJobPeriod,
  lockJobRun,
  recordJobFailure,
  saveJobSlice,
  tryJobLock,
  unfinishedJobPeriods,
} from '@/db/queries/jobs';
import { log } from '@/lib/log';
import { laneOf, lockKeyOf, type Job, type JobLane } from './define';

const DEFAULT_CATCH_UP = 24;
/** A failed slice is retried after this long (or after one period, if shorter). */
const RETRY_AFTER_MS = 60_000;

type Handle = Pick<DatabaseHandle, 'db' | 'kind'>;
type SomeJob = Job<unknown>;

/** The start of the period containing `at` (periods aligned to the Unix epoch). */
export function periodStartOf(at: Date, everyMs: number): Date {
  return new Date(Math.floor(at.getTime() / everyMs) * everyMs);
}

/** Periods to claim now: the current one, plus missed ones since the latest claimed, at most `catchUp` in all. */
export function periodsDue(latest: Date | null, now: Date, everyMs: number, catchUp: number): Date[] {
  const current = periodStartOf(now, everyMs).getTime();
  // A job that never ran starts with the current period: it does not go back in time.
  const first = latest === null ? current : Math.max(latest.getTime() + everyMs, current - (catchUp - 1) * everyMs);
  const due: Date[] = [];
  for (let t = first; t <= current; t += everyMs) due.push(new Date(t));
  return due;
}

/**
 * One process's job runner: `tick(now)` runs every job that is due. Several runners (one per app server)
 * share the work: a periodic job's period is claimed once and each of its slices runs under the run's
 * row lock; a continuous job's slice runs under an advisory lock. A runner remembers the periods it saw
 * finished, so an idle tick costs no query for a periodic job.
 */
export function createJobRunner(jobs: readonly SomeJob[]) {
  const settled = new Map<string, number>();

  async function runContinuous({ db, kind }: Handle, job: SomeJob, now: Date) {
    const key = lockKeyOf(job);
    for (;;) {
      // One transaction per slice: a backlog worked off in one long transaction would hold back vacuum.
      const result = await db.transaction(async (tx) => {
        if (!(await tryJobLock(tx, key))) return null;
        return job.slice(tx, { period: null, cursor: null, now, kind });
      });
      if (result?.afterCommit) await result.afterCommit(db);
      if (!result || result.done) return;
    }
  }

  /** Works on one run slice by slice; false when it stopped before the end (locked elsewhere, or failed). */
  async function workOn({ db, kind }: Handle, job: SomeJob & { everyMs: number }, start: Date, now: Date) {
    const period = { start, end: new Date(start.getTime() + job.everyMs) };
    for (;;) {
      let result;
      try {
        result = await db.transaction(async (tx) => {
          const run = await lockJobRun(tx, job.name, start);
          if (!run) return null;
          const r = await job.slice(tx, { period, cursor: run.cursor ?? null, now, kind });
          const progress = { cursor: r.cursor ?? null, processed: r.processed, done: r.done, now };
          await saveJobSlice(tx, job.name, start, progress);
          return r;
        });
      } catch (error) {
        // The slice rolled back with its cursor: the run resumes from the last committed slice.
        const retryAt = new Date(now.getTime() + Math.min(RETRY_AFTER_MS, job.everyMs));
        await recordJobFailure(db, job.name, start, String((error as Error)?.message ?? error), retryAt);
        log().warn({ err: error, job: job.name, period: start.toISOString() }, 'job slice failed; it will retry');
        return false;
      }
      if (!result) return false;
      if (result.done) return true;
    }
  }

  async function runPeriodic(handle: Handle, job: SomeJob & { everyMs: number }, now: Date) {
    const current = periodStartOf(now, job.everyMs).getTime();
    if (settled.get(job.name) === current) return;
    const latest = await latestJobPeriod(handle.db, job.name);
    const due = periodsDue(latest, now, job.everyMs, job.catchUp ?? DEFAULT_CATCH_UP);
    await claimJobPeriods(handle.db, job.name, due, now);
    let allDone = true;
    for (const start of await unfinishedJobPeriods(handle.db, job.name, now)) {
      if (!(await workOn(handle, job, start, now))) allDone = false;
    }
    // Unfinished runs of other servers (or failed ones waiting to retry) keep this job checked each tick.
    if (allDone && (await unfinishedJobPeriods(handle.db, job.name, null)).length === 0) {
      settled.set(job.name, current);
    }
  }

  return {
    jobs,
    /** Runs every due job (of `lane`, or of all lanes) once, in order; one job's failure does not stop the others. */
    async tick(handle: Handle, now = new Date(), lane?: JobLane) {
      for (const job of jobs) {
        if (lane !== undefined && laneOf(job) !== lane) continue;
        try {
          if (job.everyMs === undefined) await runContinuous(handle, job, now);
          else await runPeriodic(handle, job as SomeJob & { everyMs: number }, now);
        } catch (error) {
          log().warn({ err: error, job: job.name }, 'job failed; it will retry');
        }
      }
    },
  };
}

/**
 * Runs a runner's jobs every `tickMs`, one loop per lane (define.ts, JobLane). Each loop skips its turn
 * while its previous tick is still running, so a lane never overlaps itself, but the lanes do not wait for
 * each other: a text to a gateway that takes 5 s to time out, or a day's retention, cannot hold up the
 * inbox fan-out. Claims are unchanged — periodic runs are still locked per row, continuous slices under
 * their advisory lock — so two servers never run the same job at once (a job is in one lane only). On
 * PGlite (one connection) the lanes' transactions still take turns, but a fast slice waits for at most one
 * slow slice, never for a gateway (afterCommit runs outside any transaction).
 * `stop()` clears the timers and resolves when the ticks under way have finished.
 */
export function startJobLanes(
  runner: ReturnType<typeof createJobRunner>,
  open: () => Promise<Handle>,
  tickMs: number,
): { stop: () => Promise<void> } {
  const lanes = [...new Set(runner.jobs.map(laneOf))];
  const running = new Map<JobLane, Promise<void>>();
  const timers = lanes.map((lane) => {
    const timer = setInterval(() => {
      if (running.has(lane)) return;
      const tick = (async () => {
        try {
          await runner.tick(await open(), new Date(), lane);
        } catch (error) {
          log().warn({ err: error, lane }, 'job runner tick failed; it will retry');
        }
      })();
      running.set(lane, tick);
      void tick.finally(() => running.delete(lane));
    }, tickMs);
    timer.unref?.();
    return timer;
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
