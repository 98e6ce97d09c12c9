// The fault drill, trimmed to run with every test (npm run drill is the full one): scanners running the
// real offline queue send a few hundred check-ins to the real write services over HTTP while the app
// "process" goes away and comes back (server closed, open connections cut, started again on its port)
// and, on the PostgreSQL server, every database connection of the app is terminated. Afterwards: exactly
// the records sent, each once, and every statistic equal to a direct count.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { count, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkins } from '@/db/schema';
import { recordBatchAtDoor } from '@/lib/checkin/batch';
import { recordAtDoor, statusForFailure } from '@/lib/checkin/door';
import { drainAll } from '@/db/queries/stats-rollups';
import { statisticsMismatches } from '../helpers/direct-stats';
import { newClientView, startScanners } from '../helpers/drill-scanners';
import { createFixtures } from '../helpers/fixtures';

const { h, newPerson, door } = createFixtures({
  phone: { prefix: '135', base: 8_200_000, step: 43 },
  ids: { fromYear: 1958, stepDays: 19 },
  venue: { namePrefix: '演练场所', address: '解放路 3 号', contactPhone: '020-77778888' },
  checker: { displayName: '门岗演练', ip: '10.72.0.1', secret: 'test-secret-drill' },
  base: new Date(), // the services record at the real clock
});

async function readBody(req: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/** The two check-in endpoints as the app serves them; the session is the `x-account` header. */
function appServer() {
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    try {
      const accountId = String(req.headers['x-account'] ?? '');
      const body = await readBody(req);
      if (req.url === '/api/checkins/batch') {
        const a = await recordBatchAtDoor(h.db, { accountId }, body);
        return res.writeHead(a.ok ? 200 : a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.ok ? { results: a.results } : { error: a.error }));
      }
      if (body.checkerAccountId !== undefined && body.checkerAccountId !== accountId) return res.writeHead(403).end('{"error":"wrong_account"}');
      const r = await recordAtDoor(h.db, { accountId }, body);
      res
        .writeHead(r.ok ? (r.duplicate ? 200 : 201) : statusForFailure(r.reason), { 'content-type': 'application/json' })
        .end(JSON.stringify(r.ok ? { duplicate: r.duplicate, record: r.record } : { error: r.reason }));
    } catch {
      // What Next.js answers when a handler throws (the database went away mid-request).
      if (!res.headersSent) res.writeHead(500).end('{"error":"internal"}');
    }
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return {
    listen: (port = 0) => new Promise<number>((r) => server.listen(port, '127.0.0.1', () => r((server.address() as AddressInfo).port))),
    /** The process dies: no new connections, open ones cut mid-request. */
    kill: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      return closed;
    },
  };
}

describe('fault drill (trimmed)', () => {
  it('300 check-ins through an app restart and cut database connections: each stored once, statistics exact', async () => {
    const doors = [await door(), await door()];
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => newPerson(`演练访客${'甲乙丙丁戊己'[i % 6]}`, i % 2 ? 'F' : 'M')));
    let app = appServer();
    const port = await app.listen();
    const view = newClientView();
    const scanners = startScanners({
      baseUrl: `http://127.0.0.1:${port}`,
      scanners: doors.flatMap((d) => [{ accountId: d.c.accountId, venueId: d.v.venueId, headers: { 'x-account': d.c.accountId } }]),
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
              await new Promise((r) => setTimeout(r, 300));
              app = appServer();
              await app.listen(port);
            })(),
          );
        }
        if (n === 200 && h.kind === 'postgres') {
          faults.push(
            (async () => {
              await h.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
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
    const [{ n }] = await h.db.select({ n: count() }).from(checkins).where(sql`${checkins.venueId} in (${sql.join(doors.map((d) => sql`${d.v.venueId}::uuid`), sql`, `)})`);
    expect(Number(n)).toBe(300);
    const stored = await h.db.select({ clientId: checkins.clientId }).from(checkins);
    const storedIds = new Set(stored.map((r) => r.clientId));
    expect(scanners.sent.filter((c) => !storedIds.has(c))).toEqual([]);
    const venues = doors.map((d) => d.v.venueId);
    expect(await statisticsMismatches(h.db, venues)).toEqual([]);
    await drainAll(h.db);
    expect(await statisticsMismatches(h.db, venues)).toEqual([]);
  }, 60_000);
});
