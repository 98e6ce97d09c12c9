import 'server-only';
import { appendAudit } from '@/db/queries/audit';
import {
  cutPersonLinks,
  pruneAlertMessages,
  pruneCodeDisplays,
  pruneEndedSessions,
  pruneResolvedRequests,
  pruneSignInCodes,
} from '@/db/queries/retention';
import type { Tx } from '@/db';
import { env } from '@/lib/env';
import { defineJob } from '@/lib/jobs/define';

const DAY = 86_400_000;
/** Rows per slice: one transaction each, so no slice holds locks or back vacuum for long. */
export const RETENTION_SLICE = 5000;

type Step = { name: string; run: (tx: Tx, now: Date, days: number, limit: number) => Promise<number> };

/**
 * SPEC L4, in order. Rate-limit rows past their window are pruned hourly by `prune-rate-limits`, notices
 * after 180 days by `prune-notices` (lib/jobs/jobs.ts).
 */
export const RETENTION_STEPS: Step[] = [
  // The database computes the cutoff itself (never under 15 days); `now` is not passed on purpose.
  { name: 'person_links', run: (tx, _now, days, limit) => cutPersonLinks(tx, days, limit) },
  { name: 'code_displays', run: (tx, now, _days, limit) => pruneCodeDisplays(tx, new Date(now.getTime() - 3 * DAY), limit) },
  { name: 'sign_in_codes', run: (tx, now, _days, limit) => pruneSignInCodes(tx, new Date(now.getTime() - DAY), limit) },
  { name: 'sessions', run: (tx, now, _days, limit) => pruneEndedSessions(tx, now, limit) },
  { name: 'alert_messages', run: (tx, now, days, limit) => pruneAlertMessages(tx, new Date(now.getTime() - days * DAY), limit) },
  { name: 'requests', run: (tx, now, days, limit) => pruneResolvedRequests(tx, new Date(now.getTime() - days * DAY), limit) },
];

type Cursor = { step: number; counts: Record<string, number> };

/**
 * The daily retention run: each step in slices of RETENTION_SLICE rows until it has nothing left, then
 * the next; the cursor (step and counts so far) commits with each slice, and the last slice writes one
 * audit row with what the run removed. Only the latest missed day is run after downtime: it does all.
 */
export const retentionJob = (days: () => number = () => env().CHECKIN_RETENTION_DAYS, limit = RETENTION_SLICE) =>
  defineJob<Cursor>({
    name: 'retention',
    everyMs: DAY,
    catchUp: 1,
    async slice(tx, { cursor, now, period }) {
      const at = period?.start ?? now;
      const state: Cursor = cursor ?? { step: 0, counts: {} };
      const step = RETENTION_STEPS[state.step];
      const n = await step.run(tx, at, days(), limit);
      const counts = { ...state.counts, [step.name]: (state.counts[step.name] ?? 0) + n };
      if (n >= limit || (step.name === 'person_links' && n > 0)) return { processed: n, done: false, cursor: { step: state.step, counts } };
      if (state.step + 1 < RETENTION_STEPS.length) return { processed: n, done: false, cursor: { step: state.step + 1, counts } };
      await appendAudit(tx, {
        actorAccountId: null,
        action: 'retention.run',
        details: { retentionDays: days(), removed: counts },
        at: now,
      });
      return { processed: n, done: true, cursor: null };
    },
  });
