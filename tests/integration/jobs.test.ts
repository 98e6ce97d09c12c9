// The job runner (lib/jobs): a periodic job's period is done once across app servers, in slices that
// commit their cursor with their work, so a crash mid-slice resumes from the last committed slice; missed
// periods are caught up after downtime. Times are passed explicitly: no timers, no sleeps.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { rowsOf, type DatabaseHandle } from '@/db';
import { jobRun } from '@/db/queries/jobs';
import { hitRateLimit } from '@/db/queries/rate-limits';
import { defineJob, laneOf, type Job } from '@/lib/jobs/define';
import { JOBS } from '@/lib/jobs/jobs';
import { createJobRunner, periodsDue, startJobLanes } from '@/lib/jobs/runner';
import { asOwner, createTestDb } from '../helpers/test-db';

const HOUR = 3_600_000;
const T0 = new Date('2026-12-01T10:30:00Z');
const at = (iso: string) => new Date(iso);
const onServer = inject('dbTemplate').kind === 'postgres';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
  // A table of the test's own: the owner creates it (the app's role cannot), the app's role writes to it.
  await asOwner(h, (db) => db.execute(sql`create table job_test_items (job text not null, item int not null, primary key (job, item))`));
});
afterAll(async () => {
  await h.close();
});

/** One number from a `select … as n`. */
const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await h.db.execute(query))[0].n;
const items = async (job: string) => {
  const rows = rowsOf<{ item: number }>(await h.db.execute(sql`select item from job_test_items where job = ${job} order by item`));
  return rows.map((r) => r.item);
};

/** A periodic job that records items 1…total of each period, `per` per slice, the cursor being the last item. */
type CountingOptions = { total: number; per: number; everyMs?: number; catchUp?: number; crashOnSlice?: number };
function countingJob(name: string, opts: CountingOptions) {
  const seen: { period: string; cursor: number | null }[] = [];
  const job: Job<number> = defineJob<number>({
    name,
    everyMs: opts.everyMs ?? HOUR,
    catchUp: opts.catchUp,
    async slice(tx, { period, cursor }) {
      seen.push({ period: period!.start.toISOString(), cursor });
      const from = (cursor ?? 0) + 1;
      const to = Math.min(opts.total, from + opts.per - 1);
      await tx.execute(sql`insert into job_test_items (job, item) select ${`${name}@${period!.start.toISOString()}`}, g
                            from generate_series(${from}::int, ${to}::int) g`);
      if (seen.length === opts.crashOnSlice) throw new Error('the process died mid-slice');
      return { processed: to - from + 1, done: to >= opts.total, cursor: to };
    },
  });
  return { job, seen };
}

describe('periods due', () => {
  it('starts a new job at the current period and catches up at most catchUp periods', () => {
    const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
    expect(iso(periodsDue(null, T0, HOUR, 24))).toEqual(['2026-12-01T10:00:00.000Z']);
    expect(iso(periodsDue(at('2026-12-01T07:00:00Z'), T0, HOUR, 24))).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
    expect(iso(periodsDue(at('2026-12-01T07:00:00Z'), T0, HOUR, 2))).toEqual(['2026-12-01T09:00:00.000Z', '2026-12-01T10:00:00.000Z']);
    expect(periodsDue(at('2026-12-01T10:00:00Z'), T0, HOUR, 24)).toEqual([]);
  });
});

describe('a periodic job', () => {
  it('runs each period once, catches up missed periods after downtime, and skips beyond catchUp', async () => {
    const { job, seen } = countingJob('test-catch-up', { total: 3, per: 5, catchUp: 5 });
    const runner = createJobRunner([job]);
    await runner.tick(h, T0);
    await runner.tick(h, new Date(T0.getTime() + 60_000));
    expect(seen.map((s) => s.period)).toEqual(['2026-12-01T10:00:00.000Z']);

    // Down for three hours: the three missed periods and the current one, oldest first.
    await createJobRunner([job]).tick(h, at('2026-12-01T13:05:00Z'));
    expect(seen.map((s) => s.period).slice(1)).toEqual([
      '2026-12-01T11:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T13:00:00.000Z',
    ]);
    // Down for ten hours with catchUp 5: only the five newest periods are run.
    await createJobRunner([job]).tick(h, at('2026-12-01T23:59:00Z'));
    const newest = ['19', '20', '21', '22', '23'].map((hh) => `2026-12-01T${hh}:00:00.000Z`);
    expect(seen.map((s) => s.period).slice(4)).toEqual(newest);
    const runs = rowsOf<{ n: number; done: number }>(
      await h.db.execute(sql`
        select count(*)::int as n, count(*) filter (where status = 'done' and finished_at is not null)::int as done
          from job_runs where job = 'test-catch-up'`),
    );
    expect(runs[0]).toEqual({ n: 9, done: 9 });
    const run = await jobRun(h.db, 'test-catch-up', at('2026-12-01T12:00:00Z'));
    const finishedAt = at('2026-12-01T13:05:00Z');
    expect(run).toMatchObject({ status: 'done', processed: 3, slices: 1, cursor: 3, finishedAt });
  });

  it('resumes from its cursor after a crash mid-slice, on another server, once the retry is due', async () => {
    const { job, seen } = countingJob('test-resume', { total: 25, per: 10, crashOnSlice: 2 });
    await createJobRunner([job]).tick(h, T0);
    const key = 'test-resume@2026-12-01T10:00:00.000Z';
    // Slice 1 committed items 1–10 and its cursor; slice 2 wrote 11–20, then died: all of it rolled back.
    expect(await items(key)).toEqual(range(1, 10));
    expect(await jobRun(h.db, 'test-resume', at('2026-12-01T10:00:00Z'))).toMatchObject({
      status: 'pending',
      cursor: 10,
      processed: 10,
      slices: 1,
      failures: 1,
      finishedAt: null,
    });

    const second = createJobRunner([job]);
    await second.tick(h, new Date(T0.getTime() + 1000));
    expect(seen).toHaveLength(2); // the retry is not due yet
    await second.tick(h, new Date(T0.getTime() + 61_000));
    expect(seen.slice(2).map((s) => s.cursor)).toEqual([10, 20]);
    expect(await items(key)).toEqual(range(1, 25));
    expect(await jobRun(h.db, 'test-resume', at('2026-12-01T10:00:00Z'))).toMatchObject({
      status: 'done',
      cursor: 25,
      processed: 25,
      slices: 3,
      failures: 1,
    });
  });

  it('is done once when two runners tick at the same time', async () => {
    const { job, seen } = countingJob('test-twice', { total: 4, per: 1, catchUp: 8 });
    await createJobRunner([job]).tick(h, at('2026-12-01T00:10:00Z'));
    // Both servers come back ten hours later and tick together: the 8 newest periods, 4 slices each.
    await Promise.all([createJobRunner([job]).tick(h, T0), createJobRunner([job]).tick(h, T0)]);
    expect(seen).toHaveLength(4 + 4 * 8);
    expect(await count(sql`select count(*)::int as n from job_runs where job = 'test-twice' and status = 'done'`)).toBe(9);
    // Each item once per period (a second insert would have failed on the primary key).
    expect(await count(sql`select count(*)::int as n from job_test_items where job like 'test-twice@%'`)).toBe(4 + 4 * 8);
  });

  const claimedOnce = 'is claimed once across two concurrent runners: the second skips the run the first holds';
  it.runIf(onServer)(claimedOnce, async () => {
    let entered!: () => void;
    const inSlice = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const job = defineJob({
      name: 'test-claimed-once',
      everyMs: HOUR,
      async slice() {
        calls++;
        entered();
        await gate;
        return { processed: 1, done: true };
      },
    });
    const first = createJobRunner([job]).tick(h, T0);
    await inSlice;
    // The first server holds the run's row lock mid-slice: the second claims nothing new and skips it.
    await createJobRunner([job]).tick(h, T0);
    expect(calls).toBe(1);
    release();
    await first;
    expect(calls).toBe(1);
    const run = await jobRun(h.db, 'test-claimed-once', at('2026-12-01T10:00:00Z'));
    expect(run).toMatchObject({ status: 'done', slices: 1 });
  });
});

describe('lanes', () => {
  // Real timers here (a 50 ms tick): the point is what the loops do while a job waits on another system.
  it('a job stuck on a slow gateway in the slow lane does not hold up the fast lane', async () => {
    let entered!: () => void;
    const sending = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gateway = new Promise<void>((resolve) => (release = resolve));
    let slowSlices = 0;
    let fastSlices = 0;
    // Like alert-send: the slice commits a claim, then waits on the gateway after the commit.
    const slow = defineJob({
      name: 'test-slow-sender',
      async slice() {
        slowSlices++;
        return { processed: 1, done: true, afterCommit: () => (entered(), gateway) };
      },
    });
    const fast = defineJob({
      name: 'test-fast-fanout',
      lane: 'fast',
      async slice() {
        fastSlices++;
        return { processed: 0, done: true };
      },
    });
    const lanes = startJobLanes(createJobRunner([slow, fast]), async () => h, 50);
    try {
      await sending;
      const before = fastSlices;
      // Served on its own rhythm while the gateway hangs (one serial loop would not run it again at all).
      await until(() => fastSlices >= before + 5, 3000);
      // The slow lane waited for its own tick: it did not start a second one meanwhile.
      expect(slowSlices).toBe(1);
      release();
      await until(() => slowSlices >= 2, 3000);
    } finally {
      release();
      await lanes.stop();
    }
  });
});

describe('the app jobs', () => {
  it('puts the inbox fan-out and the rollup drain in the fast lane, and sending in the slow one', () => {
    const fast = JOBS.filter((j) => laneOf(j) === 'fast').map((j) => j.name);
    expect(fast.sort()).toEqual(['notice-fanout', 'rollup-drain']);
    expect(laneOf(JOBS.find((j) => j.name === 'alert-send')!)).toBe('slow');
  });

  const job = (name: string) => JOBS.find((j) => j.name === name)!;

  it('prune-rate-limits removes only windows that ended more than the longest window ago', async () => {
    const hit = (key: string, windowSeconds: number, iso: string) => hitRateLimit(h.db, key, 10, windowSeconds, at(iso));
    await hit('prune:hour:old', 3600, '2026-12-01T07:10:00Z'); // window 07:00–08:00: ended 2 h before 10:00
    await hit('prune:minute:old', 60, '2026-12-01T07:59:30Z'); // window 07:59–08:00
    await hit('prune:hour:recent', 3600, '2026-12-01T08:00:00Z'); // window 08:00–09:00: ended only 1 h ago
    await hit('prune:minute:recent', 60, '2026-12-01T09:30:00Z');
    await hit('prune:hour:live', 3600, '2026-12-01T10:29:00Z');
    await hit('prune:minute:live', 60, '2026-12-01T10:29:59Z');
    // And a backlog larger than a slice.
    await h.db.execute(sql`
      insert into rate_limits (key, window_start, hits)
      select 'prune:backlog:' || g, timestamptz '2026-11-30T00:00:00Z', 1 from generate_series(1, 12000) g`);

    await createJobRunner([job('prune-rate-limits')]).tick(h, T0);
    const left = rowsOf<{ key: string }>(await h.db.execute(sql`select key from rate_limits where key like 'prune:%' order by key`));
    const kept = ['prune:hour:live', 'prune:hour:recent', 'prune:minute:live', 'prune:minute:recent'];
    expect(left.map((r) => r.key)).toEqual(kept);
    const run = await jobRun(h.db, 'prune-rate-limits', at('2026-12-01T10:00:00Z'));
    expect(run).toMatchObject({ status: 'done', processed: 12_002, slices: 3 });
  });

  it('a longer window than the pruning allows is refused', async () => {
    await expect(hitRateLimit(h.db, 'prune:day', 10, 86_400, T0)).rejects.toThrow(/longer than the pruning allows/);
  });

  it('rollup-drain empties the queue on every tick, a slice per transaction', async () => {
    await h.db.execute(sql`insert into checkin_rollup_queue (venue_id, checkin_id)
                           select gen_random_uuid(), gen_random_uuid() from generate_series(1, 4500)`);
    await createJobRunner([job('rollup-drain')]).tick(h, T0);
    const [row] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from checkin_rollup_queue`));
    expect(row.n).toBe(0);
  });
});

/** Waits until `done()` holds, failing after `ms`. */
async function until(done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
