import { z } from 'zod';
import { getDb } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { displayNameAt, wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueOfAdmin } from '@/db/queries/venues';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { refuse, route } from '@/lib/http/route';
import { liveBus, type LiveEvent } from '@/lib/live/bus';
import { openLiveStream } from '@/lib/live/stream';
import { isUuid } from '@/lib/utils/uuid';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events. For a checker's sunflower screen (default view): their quick check-ins today
 * (count and latest, masked) pushed when the venue's channel says something changed, and red-code alerts
 * at once. For the venue's admin (view=admin): "changed" to refresh the dashboard, and fever alerts.
 * Signing out, removal, unbinding or an admin replacement ends the stream at once (lib/live/stream.ts);
 * the session and the role are also checked again every 30 s.
 */
const liveQuery = z.object({ venueId: z.string().refine(isUuid), view: z.string().optional() });

export const GET = route({ auth: 'session', query: liveQuery }, async ({ req, user, query }) => {
  const { venueId } = query;
  const db = await getDb();
  const asAdmin = query.view === 'admin';
  const allowed = async (at: Date) =>
    asAdmin ? (await venueOfAdmin(db, user.accountId))?.id === venueId : wasActiveCheckerAt(db, venueId, user.accountId, at);

  const opened = await openLiveStream({
    req,
    scope: { accountId: user.accountId, sessionId: user.sessionId, venueId, role: asAdmin ? 'admin' : 'checker' },
    async check(now) {
      const [session, active] = await Promise.all([findActiveSession(db, user.sessionId, now), allowed(now)]);
      return !session ? 'unauthenticated' : active ? null : 'forbidden';
    },
    async start(send) {
      let refreshing = false;
      let stopped = false;
      const refresh = async () => {
        if (asAdmin) return send('changed', {});
        if (refreshing || stopped) return;
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
    },
  });
  if (!opened.ok) return refuse(opened.reason === 'unauthenticated' ? 'unauthenticated' : asAdmin ? 'not_admin' : 'not_checker');
  return opened.response;
});
