import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '@/db/queries/roles';
import { checkins } from '@/db/schema';
import { MAX_BATCH_RECORDS, recordBatchAtDoor } from '@/lib/checkin/batch';
import { createCheckinQueue, type QueueEvent } from '@/lib/checkin/client/queue';
import { recordAtDoor, statusForFailure } from '@/lib/checkin/door';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { createFixtures, type Person } from '../helpers/fixtures';

const { h, fieldKeys, newActor, newPerson, door, scan, countCheckins } = createFixtures({
  phone: { prefix: '137', base: 5_000_000, step: 37 },
  ids: { fromYear: 1955, stepDays: 13 },
  venue: { namePrefix: '离线队列测试场所', address: '天河路 2 号', contactPhone: '020-66668888' },
  checker: { displayName: '门岗小李', ip: '10.70.0.1', secret: 'test-secret-queue' },
  // The endpoints record at the real clock, so checkers are bound from a day before the real now.
  base: new Date(),
});

/**
 * The check-in endpoints as the app serves them (the same services behind the same paths), over real
 * HTTP, with faults a door network produces. A session is the `x-account` header; `expired` accounts get
 * 401 like a signed-out session.
 */
type Fault = 'none' | 'drop-before' | 'drop-after' | 'error-500' | 'slow-after' | 'unauthenticated';
let faults: Fault[] = [];
const expired = new Set<string>();
let server: Server;
let baseUrl = '';
const requests: { path: string; records: number; fault: Fault }[] = [];

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function answer(path: string, accountId: string, body: Record<string, unknown>): Promise<{ status: number; json: unknown }> {
  if (path === '/api/checkins/batch') {
    const a = await recordBatchAtDoor(h.db, { accountId }, body);
    return a.ok ? { status: 200, json: { results: a.results } } : { status: a.status, json: { error: a.error } };
  }
  if (body.checkerAccountId !== undefined && body.checkerAccountId !== accountId) return { status: 403, json: { error: 'wrong_account' } };
  const r = await recordAtDoor(h.db, { accountId }, body as never);
  return r.ok ? { status: r.duplicate ? 200 : 201, json: { duplicate: r.duplicate, record: r.record } } : { status: statusForFailure(r.reason), json: { error: r.reason } };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const fault = faults.shift() ?? 'none';
    const accountId = String(req.headers['x-account'] ?? '');
    const body = await readBody(req);
    requests.push({ path: req.url ?? '', records: Array.isArray(body.records) ? body.records.length : 1, fault });
    if (fault === 'drop-before') return req.socket.destroy();
    if (fault === 'error-500') return res.writeHead(500).end('{"error":"internal"}');
    if (fault === 'unauthenticated' || expired.has(accountId)) return res.writeHead(401).end('{"error":"unauthenticated"}');
    const { status, json } = await answer(req.url ?? '', accountId, body);
    if (fault === 'drop-after') return req.socket.destroy(); // stored, but the answer never arrives
    if (fault === 'slow-after') await new Promise((r) => setTimeout(r, 400)); // longer than the client's timeout
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function queueFor(accountId: string, events: QueueEvent[] = []) {
  return createCheckinQueue({
    dbName: `door-queue-${randomUUID()}`,
    baseUrl,
    headers: () => ({ 'x-account': accountId }),
    timeoutMs: 200,
    backoff: { baseMs: 5, maxMs: 20 },
    batchSize: 25,
    onEvent: (e) => events.push(e),
  });
}

const now = () => new Date();

async function people(n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) out.push(await newPerson(`队列访客${"甲乙丙丁戊己庚辛"[i % 8]}`, i % 2 ? 'F' : 'M'));
  return out;
}

async function storedClientIds(venueId: string, clientIds: string[]) {
  const rows = await h.db.select({ clientId: checkins.clientId }).from(checkins).where(and(eq(checkins.venueId, venueId), inArray(checkins.clientId, clientIds)));
  return rows.map((r) => r.clientId);
}

describe('the offline queue against the real endpoints', () => {
  it('ends with every record stored exactly once through drops, 500s, timeouts, resends and a 401', async () => {
    const { v, c } = await door();
    const visitors = await people(6);
    const events: QueueEvent[] = [];
    const q = queueFor(c.accountId, events);
    const clientIds: string[] = [];
    // 60 records taken while the network was down (several per visitor, minutes apart, so none supersede).
    for (let i = 0; i < 60; i++) {
      const p = scan(v.venueId, visitors[i % 6].token, new Date(now().getTime() - (60 - i) * 60_000));
      clientIds.push(p.clientId);
      await q.add({ accountId: c.accountId, payload: p, colourKnown: false });
    }
    expect(await q.counts(c.accountId)).toMatchObject({ pending: 60, rejected: 0 });

    faults = ['drop-before', 'error-500', 'drop-after', 'slow-after', 'none', 'drop-after', 'unauthenticated'];
    const outcomes = [];
    for (let i = 0; i < 12; i++) {
      const o = await q.flush(c.accountId);
      outcomes.push(o.stopped ?? 'done');
      if (o.stopped === 'unauthenticated') expect(o.remaining).toBeGreaterThan(0); // nothing is dropped on 401
      if (o.remaining === 0) break;
      await new Promise((r) => setTimeout(r, 450)); // let a slow answer land before the resend
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
    const q = queueFor(c.accountId);
    const payload = scan(v.venueId, p.token, new Date(now().getTime() - 60_000));
    await q.add({ accountId: c.accountId, payload, colourKnown: false });
    faults = ['drop-before', 'error-500', 'drop-before'];
    const first = await q.start(c.accountId);
    expect(first?.stopped).toBe('network');
    for (let i = 0; i < 100 && (await q.counts(c.accountId)).pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await storedClientIds(v.venueId, [payload.clientId])).toEqual([payload.clientId]);
    q.stop();
    await q.close();
  });

  it('sends records only under the checker who took them, and keeps the rest waiting', async () => {
    const { v, c } = await door();
    const other = await newActor();
    const [p] = await people(1);
    const q = queueFor(other.accountId);
    const mine = scan(v.venueId, p.token, new Date(now().getTime() - 120_000));
    await q.add({ accountId: c.accountId, payload: mine, colourKnown: false });
    // Another account is signed in on this device: its flush leaves the first checker's record alone…
    expect(await q.flush(other.accountId)).toEqual({ stored: 0, rejected: 0, remaining: 0 });
    expect(await q.counts(other.accountId)).toMatchObject({ pending: 0, otherPending: 1, otherAccounts: [c.accountId] });
    // …and the server refuses a record sent under another account, even if a device tried.
    const a = await recordBatchAtDoor(h.db, other, { checkerAccountId: c.accountId, records: [mine] });
    expect(a).toEqual({ ok: false, status: 403, error: 'wrong_account' });
    expect(await countCheckins(v.venueId)).toBe(0);
    await q.close();
  });

  it('keeps a refused record on the device with its reason until the checker puts it away', async () => {
    const { v, c } = await door();
    const [p] = await people(1);
    const events: QueueEvent[] = [];
    const q = queueFor(c.accountId, events);
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
    const set = await setColourByOfficial(h.db, fieldKeys, official, { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact' }, new Date(now().getTime() - 3_600_000));
    expect(set).toEqual({ ok: true });
    const events: QueueEvent[] = [];
    const q = queueFor(c.accountId, events);
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
    const a = await recordBatchAtDoor(h.db, c, { checkerAccountId: c.accountId, records: [ok, hot, bad, ok] });
    if (!a.ok) throw new Error('refused');
    expect(a.results.map((r) => [r.status, r.error ?? null, r.duplicate ?? null])).toEqual([
      [201, null, false],
      [201, null, false],
      [422, 'temperature_format', null],
      [200, null, true],
    ]);
    expect(a.results[1].record?.fever).toBe(true);
    expect(await countCheckins(v.venueId)).toBe(2);
    for (const body of [null, [], { records: [] }, { records: 'x' }, 'text']) {
      expect(await recordBatchAtDoor(h.db, c, body)).toEqual({ ok: false, status: 400, error: 'invalid' });
    }
    const tooMany = Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => ok);
    expect(await recordBatchAtDoor(h.db, c, { records: tooMany })).toEqual({ ok: false, status: 413, error: 'too_many_records' });
    expect(await countCheckins(v.venueId)).toBe(2);
  });

  it('refuses records from someone who is not a checker there, one by one', async () => {
    const { v } = await door();
    const stranger = await newActor();
    const [p] = await people(1);
    const a = await recordBatchAtDoor(h.db, stranger, { records: [scan(v.venueId, p.token, new Date(now().getTime() - 60_000))] });
    expect(a.ok && a.results.map((r) => [r.status, r.error])).toEqual([[403, 'not_checker']]);
    expect(await countCheckins(v.venueId)).toBe(0);
  });
});
