import 'fake-indexeddb/auto';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as postBatch } from '@/app/api/checkins/batch/route';
import { POST as postSingle } from '@/app/api/checkins/route';
import { revokeAllSessions } from '@/db/queries/accounts';
import { grantRole } from '@/db/queries/roles';
import { checkins } from '@/db/schema';
import { MAX_BATCH_RECORDS } from '@/lib/checkin/batch';
import { createCheckinQueue, type QueueEvent } from '@/lib/checkin/client/queue';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { createFixtures, type Person } from '../helpers/fixtures';
import { serveFrom } from '../helpers/in-process';
import { callRoute, readBody, sessionCookie, toWebRequest, writeResponse, type RouteHandler } from '../helpers/route-server';

// next/headers answers from the HTTP request being served: the device's real session cookie.
vi.mock('next/headers', async () => (await import('../helpers/route-server')).nextHeaders);

const { h, fieldKeys, newActor, newPerson, door, scan, countCheckins } = createFixtures({
  phone: { prefix: '137', base: 5_000_000, step: 37 },
  ids: { fromYear: 1955, stepDays: 13 },
  venue: { namePrefix: '离线队列测试场所', address: '天河路 2 号', contactPhone: '020-66668888' },
  checker: { displayName: '门岗小李', ip: '10.70.0.1', secret: 'test-secret-queue' },
  // The endpoints record at the real clock, so checkers are bound from a day before the real now.
  base: new Date(),
});

/**
 * The production check-in route handlers (single and batch) over real HTTP, signed in by the device's
 * session cookie, with the faults a door network produces in front of them:
 * - drop-before: the connection is cut before the request reaches the app;
 * - error-500: the app answers 500 without doing anything;
 * - drop-after: the app stores the records, the answer is lost;
 * - slow-after: the app stores the records, the answer comes only after the client gave up waiting;
 * - revoked: the account's sessions are revoked (as "sign out everywhere" does) before the app sees
 *   the request, so the real session check answers 401.
 */
type Fault = 'none' | 'drop-before' | 'drop-after' | 'error-500' | 'slow-after' | 'revoked';
const ROUTES: Record<string, RouteHandler> = { '/api/checkins': postSingle, '/api/checkins/batch': postBatch };
let faults: Fault[] = [];
let server: Server;
let baseUrl = '';
const requests: { path: string; records: number; fault: Fault }[] = [];
/** The session cookie each account's device holds now (signing in again replaces it). */
const cookies = new Map<string, string>();
const signIn = async (accountId: string) => {
  cookies.set(accountId, await sessionCookie(h.db, accountId));
  return cookies.get(accountId)!;
};
const accountOfCookie = (cookie: string | undefined) => [...cookies].find(([, c]) => c === cookie)?.[0];

beforeAll(async () => {
  serveFrom(h);
  server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const fault = faults.shift() ?? 'none';
    const path = (req.url ?? '').split('?')[0];
    const body = await readBody(req);
    const parsed = JSON.parse(body.toString('utf8') || 'null') as { records?: unknown[] } | null;
    requests.push({ path, records: Array.isArray(parsed?.records) ? parsed.records.length : 1, fault });
    if (fault === 'drop-before') return req.socket.destroy();
    if (fault === 'error-500') return res.writeHead(500).end('{"error":"internal"}');
    if (fault === 'revoked') {
      const accountId = accountOfCookie(req.headers.cookie);
      if (accountId) await revokeAllSessions(h.db, accountId, new Date());
    }
    const response = await callRoute(ROUTES[path], await toWebRequest(req, body));
    if (fault === 'drop-after') return req.socket.destroy(); // stored, but the answer never arrives
    if (fault === 'slow-after') await once(res, 'close'); // answered only after the client timed out
    if (!res.writableEnded && !res.destroyed) await writeResponse(res, response);
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A POST straight to a route through the same server, as `accountId`'s device. */
async function post(path: string, accountId: string, body: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.get(accountId) ?? (await signIn(accountId)) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function queueFor(accountId: string, events: QueueEvent[] = []) {
  if (!cookies.has(accountId)) await signIn(accountId);
  return createCheckinQueue({
    dbName: `door-queue-${randomUUID()}`,
    baseUrl,
    headers: () => ({ cookie: cookies.get(accountId)! }),
    // Long enough for the real route on a loaded machine; the slow-after fault outlasts it by design.
    timeoutMs: 1_000,
    backoff: { baseMs: 5, maxMs: 20 },
    batchSize: 25,
    onEvent: (e) => events.push(e),
  });
}

const now = () => new Date();

async function people(n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) out.push(await newPerson(`队列访客${'甲乙丙丁戊己庚辛'[i % 8]}`, i % 2 ? 'F' : 'M'));
  return out;
}

async function storedClientIds(venueId: string, clientIds: string[]) {
  const rows = await h.db
    .select({ clientId: checkins.clientId })
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), inArray(checkins.clientId, clientIds)));
  return rows.map((r) => r.clientId);
}

describe('the offline queue against the real endpoints', () => {
  it('ends with every record stored exactly once through drops, 500s, timeouts, resends and a 401', async () => {
    const { v, c } = await door();
    const visitors = await people(6);
    const events: QueueEvent[] = [];
    const q = await queueFor(c.accountId, events);
    const clientIds: string[] = [];
    // 60 records taken while the network was down (several per visitor, minutes apart, so none supersede).
    for (let i = 0; i < 60; i++) {
      const p = scan(v.venueId, visitors[i % 6].token, new Date(now().getTime() - (60 - i) * 60_000));
      clientIds.push(p.clientId);
      await q.add({ accountId: c.accountId, payload: p, colourKnown: false });
    }
    expect(await q.counts(c.accountId)).toMatchObject({ pending: 60, rejected: 0 });

    faults = ['drop-before', 'error-500', 'drop-after', 'slow-after', 'none', 'drop-after', 'revoked'];
    const outcomes = [];
    // Until everything is stored: the faults are used up in order, a slow machine only adds resends.
    for (let i = 0; i < 50; i++) {
      const o = await q.flush(c.accountId);
      outcomes.push(o.stopped ?? 'done');
      if (o.stopped === 'unauthenticated') {
        expect(o.remaining).toBeGreaterThan(0); // nothing is dropped on 401
        await signIn(c.accountId); // the checker signs in again
      }
      if (o.remaining === 0) break;
    }
    expect(outcomes).toContain('network');
    expect(outcomes).toContain('server');
    expect(outcomes).toContain('unauthenticated');
    expect(outcomes.at(-1)).toBe('done');
    expect(await q.counts(c.accountId)).toMatchObject({ pending: 0, rejected: 0 });
    // Exactly once: every client id once, nothing else at the venue.
    const stored = await storedClientIds(v.venueId, clientIds);
    expect(stored.sort()).toEqual([...clientIds].sort());
    expect(await countCheckins(v.venueId)).toBe(60);
    // Resends after lost answers came back as duplicates, and the checker saw each record stored once.
    const storedEvents = events.filter((e) => e.type === 'stored');
    expect(new Set(storedEvents.map((e) => (e.type === 'stored' ? e.queued.clientId : ''))).size).toBe(60);
    expect(storedEvents.some((e) => e.type === 'stored' && e.duplicate)).toBe(true);
    expect(requests.some((r) => r.path === '/api/checkins/batch' && r.records === 25)).toBe(true);
    await q.close();
  });

  it('keeps retrying with back-off on its own until the server answers', async () => {
    const { v, c } = await door();
    const [p] = await people(1);
    const q = await queueFor(c.accountId);
    const payload = scan(v.venueId, p.token, new Date(now().getTime() - 60_000));
    await q.add({ accountId: c.accountId, payload, colourKnown: false });
    faults = ['drop-before', 'error-500', 'drop-before'];
    const first = await q.start(c.accountId);
    expect(first?.stopped).toBe('network');
    for (let i = 0; i < 1000 && (await q.counts(c.accountId)).pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await storedClientIds(v.venueId, [payload.clientId])).toEqual([payload.clientId]);
    q.stop();
    await q.close();
  });

  it('sends records only under the checker who took them, and keeps the rest waiting', async () => {
    const { v, c } = await door();
    const other = await newActor();
    const [p] = await people(1);
    const q = await queueFor(other.accountId);
    const mine = scan(v.venueId, p.token, new Date(now().getTime() - 120_000));
    await q.add({ accountId: c.accountId, payload: mine, colourKnown: false });
    // Another account is signed in on this device: its flush leaves the first checker's record alone…
    expect(await q.flush(other.accountId)).toEqual({ stored: 0, rejected: 0, remaining: 0 });
    expect(await q.counts(other.accountId)).toMatchObject({ pending: 0, otherPending: 1, otherAccounts: [c.accountId] });
    // …and the server refuses a record sent under another account, even if a device tried.
    expect(await post('/api/checkins/batch', other.accountId, { checkerAccountId: c.accountId, records: [mine] })).toEqual({
      status: 403,
      body: { error: 'wrong_account' },
    });
    expect(await post('/api/checkins', other.accountId, { ...mine, checkerAccountId: c.accountId })).toEqual({
      status: 403,
      body: { error: 'wrong_account' },
    });
    expect(await countCheckins(v.venueId)).toBe(0);
    await q.close();
  });

  it('keeps a refused record on the device with its reason until the checker puts it away', async () => {
    const { v, c } = await door();
    const [p] = await people(1);
    const events: QueueEvent[] = [];
    const q = await queueFor(c.accountId, events);
    const good = scan(v.venueId, p.token, new Date(now().getTime() - 300_000));
    const bad = scan(v.venueId, 'YKM1.not-a-real-code', new Date(now().getTime() - 200_000));
    await q.add({ accountId: c.accountId, payload: good, colourKnown: false });
    await q.add({ accountId: c.accountId, payload: bad, colourKnown: false });
    const o = await q.flush(c.accountId);
    expect(o).toMatchObject({ stored: 1, rejected: 1, remaining: 0 });
    const [kept] = await q.list(c.accountId);
    expect(kept).toMatchObject({ clientId: bad.clientId, state: 'rejected' });
    expect(events.some((e) => e.type === 'rejected' && e.queued.clientId === bad.clientId)).toBe(true);
    await q.dismissRejected(bad.clientId);
    expect(await q.counts(c.accountId)).toMatchObject({ pending: 0, rejected: 0 });
    await q.close();
  });

  it('alerts when a record taken offline turns out to be a red code', async () => {
    const { v, c } = await door();
    const [p] = await people(1);
    const official = await newActor();
    await grantRole(h.db, official.accountId, 'health_official', null);
    const set = await setColourByOfficial(
      h.db,
      fieldKeys,
      official,
      { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact' },
      new Date(now().getTime() - 3_600_000),
    );
    expect(set).toEqual({ ok: true });
    const events: QueueEvent[] = [];
    const q = await queueFor(c.accountId, events);
    await q.add({ accountId: c.accountId, payload: scan(v.venueId, p.token, new Date(now().getTime() - 60_000)), colourKnown: false });
    await q.flush(c.accountId);
    const red = events.find((e) => e.type === 'red');
    expect(red && red.type === 'red' ? red.record.colour : null).toBe('red');
    await q.close();
  });
});

describe('the batch endpoint', () => {
  it('answers each record on its own and refuses malformed batches whole', async () => {
    const { v, c } = await door();
    const [p] = await people(1);
    const ok = scan(v.venueId, p.token, new Date(now().getTime() - 600_000));
    const hot = scan(v.venueId, p.token, new Date(now().getTime() - 400_000), { temperature: '38.2' });
    const bad = { ...scan(v.venueId, p.token, new Date(now().getTime() - 100_000)), temperature: 'abc' };
    const a = await post('/api/checkins/batch', c.accountId, { checkerAccountId: c.accountId, records: [ok, hot, bad, ok] });
    expect(a.status).toBe(200);
    const results = a.body.results as { status: number; error?: string; duplicate?: boolean; record?: { fever: boolean } }[];
    expect(results.map((r) => [r.status, r.error ?? null, r.duplicate ?? null])).toEqual([
      [201, null, false],
      [201, null, false],
      [422, 'temperature_format', null],
      [200, null, true],
    ]);
    expect(results[1].record?.fever).toBe(true);
    expect(await countCheckins(v.venueId)).toBe(2);
    for (const body of [null, [], { records: [] }, { records: 'x' }, 'text']) {
      expect(await post('/api/checkins/batch', c.accountId, body)).toEqual({ status: 400, body: { error: 'invalid' } });
    }
    const tooMany = Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => ok);
    expect(await post('/api/checkins/batch', c.accountId, { records: tooMany })).toEqual({
      status: 413,
      body: { error: 'too_many_records' },
    });
    expect(await countCheckins(v.venueId)).toBe(2);
  });

  it('refuses records from someone who is not a checker there, one by one', async () => {
    const { v } = await door();
    const stranger = await newActor();
    const [p] = await people(1);
    const a = await post('/api/checkins/batch', stranger.accountId, {
      records: [scan(v.venueId, p.token, new Date(now().getTime() - 60_000))],
    });
    expect(a.status).toBe(200);
    expect((a.body.results as { status: number; error: string }[]).map((r) => [r.status, r.error])).toEqual([[403, 'not_checker']]);
    expect(await countCheckins(v.venueId)).toBe(0);
  });
});
