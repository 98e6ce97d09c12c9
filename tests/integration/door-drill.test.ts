// The fault drill, trimmed to run with every test (npm run drill is the full one): scanners running the
// real offline queue send a few hundred check-ins to the production route handlers over HTTP, signed in
// with real session cookies, while the app "process" goes away and comes back (server closed, open
// connections cut, started again on its port) and, on the PostgreSQL server, every database connection
// of the app is terminated. Afterwards: exactly the records sent, each once, and every statistic equal
// to a direct count.
import { count, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checkins } from '@/db/schema';
import { mainEntranceOfVenue } from '@/db/queries/entrances';
import { drainAll } from '@/db/queries/stats-rollups';
import { addEntrance, removeEntrance } from '@/lib/venues/entrances';
import { entranceCarriedMismatches, entranceStatisticsMismatches } from '../helpers/direct-entrance-stats';
import { statisticsMismatches } from '../helpers/direct-stats';
import { newClientView, startScanners } from '../helpers/drill-scanners';
import { createFixtures } from '../helpers/fixtures';
import { serveFrom } from '../helpers/in-process';
import { routeServer, sessionCookie } from '../helpers/route-server';

// next/headers answers from the HTTP request being served: the scanners' real session cookies.
vi.mock('next/headers', async () => (await import('../helpers/route-server')).nextHeaders);

const { h, newPerson, door } = createFixtures({
  phone: { prefix: '135', base: 8_200_000, step: 43 },
  ids: { fromYear: 1958, stepDays: 19 },
  venue: { namePrefix: '演练场所', address: '解放路 3 号', contactPhone: '020-77778888' },
  checker: { displayName: '门岗演练', ip: '10.72.0.1', secret: 'test-secret-drill' },
  base: new Date(), // the services record at the real clock
});
beforeAll(() => serveFrom(h));

/** The app "process": the production check-in route handlers (single and batch) over HTTP. */
async function appServer() {
  const [single, batch] = await Promise.all([import('@/app/api/checkins/route'), import('@/app/api/checkins/batch/route')]);
  return routeServer({ '/api/checkins': single.POST, '/api/checkins/batch': batch.POST });
}

describe('fault drill (trimmed)', () => {
  it('300 check-ins through an app restart and cut database connections: each stored once, statistics exact', async () => {
    const doors = [await door(), await door()];
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) => newPerson(`演练访客${'甲乙丙丁戊己'[i % 6]}`, i % 2 ? 'F' : 'M')),
    );
    // Entrances (多入口): records at the main one, at 东门 and 北门, and with none named; 北门 is removed
    // early (before the faults), and the records the scanners still take there are accepted (judged as of their time).
    const entrances = await Promise.all(
      doors.map(async (d) => {
        const main = (await mainEntranceOfVenue(h.db, d.v.venueId))!.id;
        const [east, north] = await Promise.all(['东门', '北门'].map((name) => addEntrance(h.db, d.v.admin, { name })));
        if (!('entranceId' in east) || !('entranceId' in north)) throw new Error('entrances not added');
        return { main, east: east.entranceId, north: north.entranceId };
      }),
    );
    let app = await appServer();
    const port = await app.listen();
    const cookies = await Promise.all(doors.map((d) => sessionCookie(h.db, d.c.accountId)));
    const view = newClientView();
    const scanners = startScanners({
      baseUrl: `http://127.0.0.1:${port}`,
      scanners: doors.map((d, i) => ({
        accountId: d.c.accountId,
        venueId: d.v.venueId,
        headers: { cookie: cookies[i] },
        entranceIds: [null, entrances[i].main, entrances[i].east, entrances[i].north],
      })),
      tokens: people.map((p) => p.token),
      view,
      timeoutMs: 2_000,
      backoff: { baseMs: 50, maxMs: 300 },
    });
    try {
      const faults: Promise<void>[] = [];
      await scanners.send(300, 400, (n) => {
        if (n === 100) {
          faults.push(
            (async () => {
              await app.kill();
              // Down until the scanners have felt it (a request with no answer), then started again.
              while (view.noAnswer === 0) await new Promise((r) => setTimeout(r, 10));
              app = await appServer();
              await app.listen(port);
            })(),
          );
        }
        if (n === 50) {
          faults.push(
            (async () => {
              for (const [i, d] of doors.entries()) await removeEntrance(h.db, d.v.admin, { entranceId: entrances[i].north });
            })(),
          );
        }
        if (n === 200 && h.kind === 'postgres') {
          faults.push(
            (async () => {
              await h.db.execute(
                sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
              );
            })(),
          );
        }
      });
      await Promise.all(faults);
      expect(await scanners.drain(30_000)).toBe(0);
    } finally {
      await scanners.close();
      await app.kill();
    }

    expect(view.rejected).toEqual([]);
    expect(view.noAnswer).toBeGreaterThan(0); // the restart was felt
    const [{ n }] = await h.db
      .select({ n: count() })
      .from(checkins)
      .where(
        sql`${checkins.venueId} in (${sql.join(
          doors.map((d) => sql`${d.v.venueId}::uuid`),
          sql`, `,
        )})`,
      );
    expect(Number(n)).toBe(300);
    const stored = await h.db.select({ clientId: checkins.clientId }).from(checkins);
    const storedIds = new Set(stored.map((r) => r.clientId));
    expect(scanners.sent.filter((c) => !storedIds.has(c))).toEqual([]);
    const venues = doors.map((d) => d.v.venueId);
    expect(await statisticsMismatches(h.db, venues)).toEqual([]);
    expect(await entranceCarriedMismatches(h.db, venues, scanners.sentEntrances)).toEqual([]);
    await drainAll(h.db);
    expect(await statisticsMismatches(h.db, venues)).toEqual([]);
    // The per-entrance rollup is the drain's: it must be filled, and equal the direct count.
    const byEntrance = await entranceStatisticsMismatches(h.db, venues);
    expect(byEntrance).toEqual({ checked: true, mismatches: [] });
  }, 180_000);
});
