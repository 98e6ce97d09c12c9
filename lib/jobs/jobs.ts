import 'server-only';
import { fanOutNoticeOutbox, pruneNotices } from '@/db/queries/notices';
import { pruneQuickLinks } from '@/db/queries/quick-links';
import { pruneRateLimits } from '@/db/queries/rate-limits';
import { DRAIN_LOCK_KEY, drainRollupSlice } from '@/db/queries/stats-rollups';
import { completeDueDeletions } from '@/lib/accounts/deletion';
import { completeDueRecoveries } from '@/lib/accounts/recovery';
import { digestSlice, sendSlice } from '@/lib/alerts/digest';
import { retentionJob } from '@/lib/retention/retention-job';
import { messageSenderFromEnv, templateOf, type MessageSender } from '@/lib/sms/sender';
import { defineJob } from './define';

const HOUR = 3_600_000;
const TEN_MINUTES = 600_000;
const DRAIN_SLICE = 2000;
const PRUNE_SLICE = 5000;
const NOTICE_SLICE = 500;
const ACCOUNT_SLICE = 20;
const DAY = 24 * HOUR;
/** How long the inbox keeps a notice (README: the inbox). */
export const NOTICE_RETENTION_DAYS = 180;

/**
 * 短信提醒: venues' new fever and red-code notices into digests for their admin's phone (at most one per
 * venue per 10 minutes, quiet hours, daily cap: lib/alerts/rules.ts), every tick, one server at a time.
 */
export const alertDigestJob = (template: () => string = () => templateOf('venue_digest')) =>
  defineJob({
    name: 'alert-digest',
    async slice(tx, { now }) {
      return { processed: await digestSlice(tx, now, template()), done: true };
    },
  });

/**
 * Pending digests to the gateway: claimed in the slice (a lease), sent after it committed, so no
 * transaction waits on the gateway; retried with back-off under the same idempotency key. One batch a tick.
 */
export const alertSendJob = (sender: () => MessageSender = messageSenderFromEnv) =>
  defineJob({
    name: 'alert-send',
    async slice(tx, { now }) {
      const { claimed, afterCommit } = await sendSlice(tx, now, sender);
      return { processed: claimed, done: true, afterCommit: claimed > 0 ? afterCommit : undefined };
    },
  });

/** SPEC L2: account recoveries and deletions whose cooling-off period ended, every tick, a slice at a time. */
export const accountLifeJobs = [
  defineJob({
    name: 'account-recoveries',
    async slice(tx, { now }) {
      const n = await completeDueRecoveries(tx, now, ACCOUNT_SLICE);
      return { processed: n, done: n < ACCOUNT_SLICE };
    },
  }),
  defineJob({
    name: 'account-deletions',
    async slice(tx, { now }) {
      const n = await completeDueDeletions(tx, now, ACCOUNT_SLICE);
      return { processed: n, done: n < ACCOUNT_SLICE };
    },
  }),
];

/**
 * Every background job of the app, run by each server's job runner (lib/jobs/start.ts). The fast lane holds
 * what people wait to see — the door's notices in the inboxes, the dashboards' rollups — and runs in a loop
 * of its own, so a slow text gateway or a long retention run never delays them (define.ts, JobLane).
 */
export const JOBS = [
  /**
   * The rollup drain (数据统计): queued records into the rollups, 2,000 per transaction, every second. One
   * server at a time (others skip their turn). The key is the drain's own lock (db/queries/stats-rollups.ts),
   * the one it has always used, so servers of the previous release take turns too.
   */
  defineJob({
    name: 'rollup-drain',
    lane: 'fast',
    lockKey: DRAIN_LOCK_KEY,
    async slice(tx, { kind }) {
      // PGlite is one process with a small database: its planner needs no nudge (and never had one).
      const drained = await drainRollupSlice(tx, DRAIN_SLICE, { avoidSeqScans: kind === 'postgres' });
      return { processed: drained, done: drained < DRAIN_SLICE };
    },
  }),
  /**
   * The door's outbox into the venues' inboxes (fever, red code): every tick, one server at a time, 500
   * per transaction. The door never waits on it: it only appends to notice_outbox.
   */
  defineJob({
    name: 'notice-fanout',
    lane: 'fast',
    async slice(tx, { now }) {
      const { taken } = await fanOutNoticeOutbox(tx, NOTICE_SLICE, now);
      return { processed: taken, done: taken < NOTICE_SLICE };
    },
  }),
  alertDigestJob(),
  alertSendJob(),
  ...accountLifeJobs,
  /** Notices older than 180 days, daily (their read marks go with them). Only the latest missed day is run. */
  defineJob({
    name: 'prune-notices',
    everyMs: DAY,
    catchUp: 1,
    async slice(tx, { period, now }) {
      const pruned = await pruneNotices(tx, new Date((period?.start ?? now).getTime() - NOTICE_RETENTION_DAYS * DAY), PRUNE_SLICE);
      return { processed: pruned, done: pruned < PRUNE_SLICE };
    },
  }),
  /** SPEC L4, daily: person links of old check-ins cut, personal traces past their time deleted. */
  retentionJob(),
  /** Expired rate-limit windows, hourly. Only the latest missed hour is run after downtime: it prunes all. */
  defineJob({
    name: 'prune-rate-limits',
    everyMs: HOUR,
    catchUp: 1,
    async slice(tx, { period, now }) {
      const pruned = await pruneRateLimits(tx, period?.start ?? now, PRUNE_SLICE);
      return { processed: pruned, done: pruned < PRUNE_SLICE };
    },
  }),
  /**
   * Short links of the sunflower code whose token has expired (they live 10 minutes), every 10 minutes.
   * Only the latest missed period is run after downtime: it prunes all.
   */
  defineJob({
    name: 'prune-quick-links',
    everyMs: TEN_MINUTES,
    catchUp: 1,
    async slice(tx, { period, now }) {
      const pruned = await pruneQuickLinks(tx, period?.start ?? now, PRUNE_SLICE);
      return { processed: pruned, done: pruned < PRUNE_SLICE };
    },
  }),
];
