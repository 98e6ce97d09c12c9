import 'server-only';
import type { Db } from '@/db';
import { displayNameAt, wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueOfAdmin } from '@/db/queries/venues';
import type { CurrentUser } from '@/lib/auth/require-user';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { unreadCount } from '@/lib/notices/inbox';
import { log } from '@/lib/log';
import { latestRun } from '@/lib/utils/latest-run';
import { liveBus, type LiveEvent } from './bus';
import type { LiveRole } from './revocations';
import type { Send } from './stream';

// The topics one live stream can carry (app/api/live/route.ts): the account's inbox, and venue topics a
// page needs — the admin's dashboard (`admin:<venueId>`: changed, fever) and a checker's sunflower screen
// (`checker:<venueId>`: summary, alert). One stream per browser tab carries them all (lib/live/live-provider.tsx).

// `ops`: a health official's pages (SPEC T1): no events of its own; it ends (`end {reason, topic: 'ops'}`) the
// moment the role is revoked or moved, and the pages reload into what the account may see now.
export type Topic = { name: 'inbox' } | { name: 'ops' } | { name: string; venueId: string; role: LiveRole };

const TOPIC = /^(admin|checker):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
export const MAX_TOPICS = 4;

/** `inbox,admin:<uuid>,…` into topics (each once), or null when any is not a topic. */
export function parseTopics(text: string): Topic[] | null {
  const names = [...new Set(text.split(',').filter(Boolean))];
  if (names.length === 0 || names.length > MAX_TOPICS) return null;
  const topics: Topic[] = [];
  for (const name of names) {
    if (name === 'inbox') topics.push({ name: 'inbox' });
    else if (name === 'ops') topics.push({ name: 'ops' });
    else {
      const m = TOPIC.exec(name);
      if (!m) return null;
      const venueId = m[2].toLowerCase();
      topics.push({ name: `${m[1]}:${venueId}`, venueId, role: m[1] as LiveRole });
    }
  }
  return topics;
}

export const isVenueTopic = (t: Topic): t is Extract<Topic, { venueId: string }> => 'venueId' in t;
export const isOpsTopic = (t: Topic) => t.name === 'ops' && !('venueId' in t);

/** Whether the account may hear a venue topic now: admin of that venue now, or an active checker there. */
export async function mayHear(db: Db, user: CurrentUser, topic: Extract<Topic, { venueId: string }>, at: Date) {
  return topic.role === 'admin'
    ? (await venueOfAdmin(db, user.accountId))?.id === topic.venueId
    : wasActiveCheckerAt(db, topic.venueId, user.accountId, at);
}

/** A failed recount is logged and the stream goes on: the next event counts again. */
const warn = (topic: string) => (error: unknown) => log().warn({ err: error, topic }, 'live recount failed');

/** Starts a venue topic's events; returns what stops them. */
export async function startVenueTopic(db: Db, user: CurrentUser, topic: Extract<Topic, { venueId: string }>, send: Send) {
  const { venueId } = topic;
  const asAdmin = topic.role === 'admin';
  let stopped = false;
  // The checker's summary: counted again after every check-in event; one heard while counting is counted
  // once more afterwards (the count under way may have been taken before that record's commit).
  const recount = latestRun(async () => {
    if (stopped) return;
    const summary = await checkerSummaryToday(db, user, venueId, new Date(), 'quick');
    if (summary && !stopped) send('summary', summary);
  }, warn('summary'));
  const refresh = async () => {
    if (asAdmin) return send('changed', {});
    return recount();
  };
  const unsubscribe = await liveBus().subscribe(venueId, (event: LiveEvent) => {
    if (event.k === 'checkins') void refresh();
    else if (event.k !== 'alert') return;
    else if (asAdmin && event.fever) {
      void displayNameAt(db, venueId, event.checker).then((checker) =>
        send('fever', { name: event.name, temp: event.temp, checker: checker ?? '', at: event.at }),
      );
    } else if (!asAdmin && event.checker === user.accountId && event.red)
      send('alert', { name: event.name, red: event.red, fever: event.fever, at: event.at });
  });
  if (!asAdmin) await refresh();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

const INBOX_RECHECK_MS = 30_000;

/**
 * The inbox topic: `notice {unread, asOf}` at the start and whenever the count changes. It hears the account's
 * own events and the notices of the venue it is admin of now (looked up again every 30 s); the count is
 * always of what the account may see now (db/queries/notices.ts), so a replaced admin's bell never moves
 * for the venue it lost.
 */
export async function startInboxTopic(db: Db, user: CurrentUser, send: Send) {
  const bus = liveBus();
  let last = -1;
  let stopped = false;
  // Counted again on every event; one heard while counting is counted once more afterwards.
  const push = latestRun(async () => {
    if (stopped) return;
    const { unread, asOf } = await unreadCount(db, user);
    if (!stopped && unread !== last) send('notice', { unread: (last = unread), asOf });
  }, warn('inbox'));
  let adminOf: { venueId: string | null; stop: () => void } = { venueId: null, stop: () => {} };
  // One look-up at a time (an account event and the 30 s timer may meet), each then counting again.
  let following: Promise<void> = Promise.resolve();
  const follow = () =>
    (following = following
      .then(async () => {
        const venueId = (await venueOfAdmin(db, user.accountId))?.id ?? null;
        if (stopped || venueId === adminOf.venueId) return;
        adminOf.stop();
        const stop = venueId ? await bus.subscribe(venueId, (e) => void (e.k === 'notice' && push())) : () => {};
        if (stopped) return stop();
        adminOf = { venueId, stop };
      })
      .catch(() => {})
      .then(push));
  // An account event: a notice of its own, a read, or it became a venue's admin (lib/notices/create.ts).
  const stopAccount = await bus.subscribeAccount(user.accountId, () => void follow());
  await follow();
  const timer = setInterval(() => void follow(), INBOX_RECHECK_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    stopAccount();
    adminOf.stop();
  };
}
