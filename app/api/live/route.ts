import { z } from 'zod';
import { getDb } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { displayNameAt, wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueOfAdmin } from '@/db/queries/venues';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { refuse, route } from '@/lib/http/route';
import { liveBus, type LiveEvent } from '@/lib/live/bus';
import { isUuid } from '@/lib/utils/uuid';

export const dynamic = 'force-dynamic';

const RECHECK_MS = 30_000;
const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events. For a checker's sunflower screen (default view): their quick check-ins today
 * (count and latest, masked) pushed when the venue's channel says something changed, and red-code alerts
 * at once. For the venue's admin (view=admin): "changed" to refresh the dashboard, and fever alerts.
 * The session and the role are checked again every 30 s: a revoked session stops receiving.
 */
const liveQuery = z.object({ venueId: z.string().refine(isUuid), view: z.string().optional() });

export const GET = route({ auth: 'session', query: liveQuery }, async ({ req, user, query }) => {
  const { venueId } = query;
  const db = await getDb();
  const asAdmin = query.view === 'admin';
  const allowed = async (at: Date) =>
    asAdmin ? (await venueOfAdmin(db, user.accountId))?.id === venueId : wasActiveCheckerAt(db, venueId, user.accountId, at);
  if (!(await allowed(new Date()))) return refuse(asAdmin ? 'not_admin' : 'not_checker');

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      let refreshing = false;
      const refresh = async () => {
        if (asAdmin) return send('changed', {});
        if (refreshing || closed) return;
        refreshing = true;
        try {
          const summary = await checkerSummaryToday(db, user, venueId, new Date(), 'quick');
          if (summary) send('summary', summary);
        } finally {
          refreshing = false;
        }
      };
      const unsubscribe = await liveBus().subscribe(venueId, (event: LiveEvent) => {
        if (event.k === 'checkins') void refresh();
        else if (asAdmin && event.fever) {
          void displayNameAt(db, venueId, event.checker).then((checker) =>
            send('fever', { name: event.name, temp: event.temp, checker: checker ?? '', at: event.at }),
          );
        } else if (!asAdmin && event.checker === user.accountId && event.red)
          send('alert', { name: event.name, red: event.red, fever: event.fever, at: event.at });
      });
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(': ping\n\n')), HEARTBEAT_MS);
      const recheck = setInterval(
        () =>
          void (async () => {
            const now = new Date();
            const [session, active] = await Promise.all([findActiveSession(db, user.sessionId, now), allowed(now)]);
            if (!session || !active) {
              send('end', { reason: session ? 'forbidden' : 'unauthenticated' });
              close();
            }
          })(),
        RECHECK_MS,
      );
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(recheck);
      };
      req.signal.addEventListener('abort', close);
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      if (!asAdmin) await refresh();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
});
