import { getDb } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { getCurrentUser } from '@/lib/auth/require-user';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { liveBus, type LiveEvent } from '@/lib/live/bus';
import { isUuid } from '@/lib/utils/uuid';

export const dynamic = 'force-dynamic';

const RECHECK_MS = 30_000;
const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events for a checker's sunflower screen: their quick check-ins today (count and latest,
 * masked) pushed when the venue's channel says something changed, and alerts for red codes at once.
 * The session and the binding are checked again every 30 s: a revoked session stops receiving.
 */
export async function GET(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const venueId = new URL(req.url).searchParams.get('venueId');
  if (!isUuid(venueId)) return Response.json({ error: 'invalid' }, { status: 400 });
  const db = await getDb();
  if (!(await wasActiveCheckerAt(db, venueId, user.accountId, new Date()))) return Response.json({ error: 'not_checker' }, { status: 403 });

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
        else if (event.checker === user.accountId && event.red) send('alert', { name: event.name, red: event.red, fever: event.fever, at: event.at });
      });
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(': ping\n\n')), HEARTBEAT_MS);
      const recheck = setInterval(async () => {
        const now = new Date();
        const [session, active] = await Promise.all([findActiveSession(db, user.sessionId, now), wasActiveCheckerAt(db, venueId, user.accountId, now)]);
        if (!session || !active) {
          send('end', { reason: session ? 'not_checker' : 'unauthenticated' });
          close();
        }
      }, RECHECK_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(recheck);
      };
      req.signal.addEventListener('abort', close);
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      await refresh();
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
}
