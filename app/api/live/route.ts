import { z } from 'zod';
import { getDb } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { refuse, route } from '@/lib/http/route';
import { openLiveStream, type Send, type TopicEnd } from '@/lib/live/stream';
import { isOpsTopic, isVenueTopic, mayHear, parseTopics, startInboxTopic, startVenueTopic, type Topic } from '@/lib/live/topics';
import { officialOf } from '@/lib/officials/scope';
import { isUuid } from '@/lib/utils/uuid';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events, one stream per browser tab (lib/live/live-provider.tsx): `?topics=inbox,admin:<v>`
 * carries the account's inbox (`notice`: the unread count) and the venue topics the page shows — the
 * admin's dashboard (`admin:<v>`: `changed`, `fever`) and a checker's sunflower screen (`checker:<v>`:
 * `summary`, `alert`) — each event as `live {t: topic, e: event, d: data}`. Every venue topic is checked
 * (admin of that venue now, active checker there); the inbox needs the session only.
 * Signing out ends the stream (`end {reason}`); losing a venue role ends it naming the topic
 * (`end {reason, topic}`) and the client reconnects without it. The session and every topic are checked
 * again every 30 s. The older form `?venueId=<v>[&view=admin]` is one venue topic with plain event names.
 */
const liveQuery = z
  .object({ venueId: z.string().refine(isUuid).optional(), view: z.string().optional(), topics: z.string().max(400).optional() })
  .refine((q) => (q.topics === undefined) !== (q.venueId === undefined));

export const GET = route({ auth: 'session', query: liveQuery }, async ({ req, user, query }) => {
  const legacy = query.topics === undefined;
  const topics: Topic[] | null = legacy
    ? [{ name: 'venue', venueId: query.venueId!, role: query.view === 'admin' ? 'admin' : 'checker' }]
    : parseTopics(query.topics!);
  if (!topics) return refuse('invalid', { status: 400 });
  const venueTopics = topics.filter(isVenueTopic);
  // A stream of one venue topic alone is refused outright, as before; among others, that topic ends alone.
  const alone = topics.length === 1 && (venueTopics.length === 1 || isOpsTopic(topics[0]));
  // `ops`: a health official's pages; it ends when the role is revoked or moved (lib/officials/governance.ts).
  const ops = topics.some(isOpsTopic);
  const db = await getDb();

  const opened = await openLiveStream({
    req,
    scope: legacy
      ? { accountId: user.accountId, sessionId: user.sessionId, venueId: venueTopics[0].venueId, role: venueTopics[0].role }
      : { accountId: user.accountId, sessionId: user.sessionId },
    topics: legacy
      ? []
      : [
          ...venueTopics.map((t) => ({
            name: t.name,
            scope: { accountId: user.accountId, sessionId: user.sessionId, venueId: t.venueId, role: t.role },
          })),
          ...(ops ? [{ name: 'ops', scope: { accountId: user.accountId, sessionId: user.sessionId, role: 'official' as const } }] : []),
        ],
    async check(now) {
      const [session, allowed, official] = await Promise.all([
        findActiveSession(db, user.sessionId, now),
        Promise.all(venueTopics.map((t) => mayHear(db, user, t, now))),
        ops ? officialOf(db, user.accountId) : null,
      ]);
      if (!session) return 'unauthenticated';
      const refused = venueTopics.find((_, i) => !allowed[i])?.name ?? (ops && !official ? 'ops' : undefined);
      if (!refused) return null;
      return alone ? 'forbidden' : ({ reason: 'forbidden', topic: refused } satisfies TopicEnd);
    },
    async start(send) {
      const stops: (() => void)[] = [];
      try {
        for (const topic of topics) {
          const sendOn: Send = legacy ? send : (e, d) => send('live', { t: topic.name, e, d });
          if (isOpsTopic(topic)) continue; // no events of its own: it is there to end
          stops.push(isVenueTopic(topic) ? await startVenueTopic(db, user, topic, sendOn) : await startInboxTopic(db, user, sendOn));
        }
      } catch (error) {
        stops.forEach((s) => s());
        throw error;
      }
      return () => stops.forEach((s) => s());
    },
  });
  if (!opened.ok) {
    if (opened.reason === 'unauthenticated') return refuse('unauthenticated');
    if (ops && venueTopics.length === 0) return refuse('forbidden');
    return refuse(venueTopics[0]?.role === 'admin' ? 'not_admin' : 'not_checker');
  }
  return opened.response;
});
