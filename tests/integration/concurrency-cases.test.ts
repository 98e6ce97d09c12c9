// Races at the door and in the back office, each ending in a defined state. They need truly concurrent
// connections: on PGlite (one connection, one query at a time) they are skipped; CI runs them on the
// PostgreSQL server (DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { statusAt } from '@/db/queries/health-status';
import { grantRole } from '@/db/queries/roles';
import { venueOfAdmin } from '@/db/queries/venues';
import { accounts, checkins, statusChanges } from '@/db/schema';
import { batchAnswers, readBatch } from '@/lib/checkin/batch';
import { recordCheckin, recordCheckins } from '@/lib/checkin/record';
import { httpStatusOfRequest } from '@/lib/server/reasons';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { hashIdDocument } from '@/lib/identity/field-crypto';
import { drainAll } from '@/db/queries/stats-rollups';
import { allFeversOfMyVenue } from '@/lib/stats/venue-dashboard';
import { acceptAdminReplacement, startAdminReplacement } from '@/lib/venues/admin-replacement';
import { removeChecker } from '@/lib/venues/checkers';
import { statisticsMismatches } from '../helpers/direct-stats';
import { createFixtures } from '../helpers/fixtures';

const onServer = Boolean(process.env.DATABASE_URL);
if (!onServer)
  console.info('concurrency cases skipped: they need the PostgreSQL server (set DATABASE_URL); PGlite runs one query at a time');

const { h, fieldKeys, newActor, newPerson, door, scan, openBindingId, countCheckins } = createFixtures({
  phone: { prefix: '134', base: 9_300_000, step: 47 },
  ids: { fromYear: 1966, stepDays: 23 },
  venue: { namePrefix: '竞态测试场所', address: '北京路 8 号', contactPhone: '020-33334444' },
  checker: { displayName: '门岗竞态', ip: '10.73.0.1', secret: 'test-secret-races' },
  base: new Date(), // the services run at the real clock here
});
const now = () => new Date();

/** The batch route's steps (app/api/checkins/batch/route.ts) without HTTP: read, record, answer. */
async function sendBatch(actor: { accountId: string }, body: unknown, at = new Date()) {
  const read = readBatch(body, actor);
  if (!read.ok) return { ok: false as const, status: httpStatusOfRequest(read.error), error: read.error };
  const committed = await recordCheckins(
    h.db,
    read.records.map((payload) => ({ actor, payload, now: at })),
  );
  return { ok: true as const, results: batchAnswers(read.records, committed) };
}
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe.skipIf(!onServer)('concurrency cases (PostgreSQL server)', () => {
  it('the same record sent 50 times at once, as singles and inside batches: one row, every answer the same record', async () => {
    const { v, c } = await door();
    const p = await newPerson('司马光');
    const payload = scan(v.venueId, p.token, ago(5));
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        if (i % 2 === 0) {
          const r = await recordCheckin(h.db, c, payload, now());
          return r.ok ? r.record.id : `refused:${r.reason}`;
        }
        const b = await sendBatch(c, { checkerAccountId: c.accountId, records: [payload, scan(v.venueId, p.token, ago(600 + i))] });
        if (!b.ok) return `batch:${b.error}`;
        return b.results[0].record?.id ?? `refused:${b.results[0].error}`;
      }),
    );
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      await h.db
        .select()
        .from(checkins)
        .where(and(eq(checkins.venueId, v.venueId), eq(checkins.clientId, payload.clientId))),
    ).toHaveLength(1);
    await drainAll(h.db);
    expect(await statisticsMismatches(h.db, [v.venueId])).toEqual([]);
  });

  it('a checker removed while their scanner is sending: records from before the removal are all kept; after it, refused once it has committed', async () => {
    const { v, c } = await door();
    const visitors = await Promise.all([newPerson('王安石'), newPerson('苏轼'), newPerson('苏辙')]);
    // A removal is stamped no earlier than the database's clock (#17, removal at one instant): it happens
    // now, and the records "after" it are taken by a scanner whose server clock runs 5–20 s ahead.
    const removedAt = now();
    const later = (seconds: number) => new Date(removedAt.getTime() + seconds * 1000);
    const before = Array.from({ length: 30 }, (_, i) => scan(v.venueId, visitors[i % 3].token, ago(21 + i)));
    const after = Array.from({ length: 30 }, (_, i) => scan(v.venueId, visitors[i % 3].token, later(5 + i / 2)));
    const sentAt = later(30);
    const bindingId = await openBindingId(v.venueId, c.accountId);
    const sends = [...before, ...after].map((p, i) =>
      i % 3 === 0
        ? sendBatch(c, { records: [p] }, sentAt).then((b) => (b.ok ? b.results[0] : { status: b.status, error: b.error }))
        : recordCheckin(h.db, c, p, sentAt).then((r) => (r.ok ? { status: 201, record: r.record } : { status: 0, error: r.reason })),
    );
    const [removal, ...answers] = await Promise.all([removeChecker(h.db, v.admin, bindingId, removedAt), ...sends]);
    expect(removal).toEqual({ ok: true });
    // Every answer is a stored record or "not a checker": nothing in between, nothing lost. A record of
    // the "after" set stored before the removal took its lock moves the removal's instant after it.
    for (const a of answers) expect(a.error === undefined ? 'stored' : a.error).toMatch(/^(stored|not_checker)$/);
    expect(answers.slice(0, 30).every((a) => a.error === undefined)).toBe(true);
    const storedIds = new Set(
      (await h.db.select({ clientId: checkins.clientId }).from(checkins).where(eq(checkins.venueId, v.venueId))).map((r) => r.clientId),
    );
    [...before, ...after].forEach((p, i) => expect(storedIds.has(p.clientId)).toBe(answers[i].error === undefined));
    // Once the removal has committed, a record after it is refused, online or from the queue.
    expect(await recordCheckin(h.db, c, scan(v.venueId, visitors[0].token, later(59)), later(60))).toEqual({
      ok: false,
      reason: 'not_checker',
    });
    const late = await sendBatch(
      c,
      { records: [scan(v.venueId, visitors[1].token, later(58)), scan(v.venueId, visitors[2].token, ago(25))] },
      later(60),
    );
    expect(late.ok && late.results.map((r) => r.error ?? r.status)).toEqual(['not_checker', 201]);
    await drainAll(h.db);
    expect(await statisticsMismatches(h.db, [v.venueId])).toEqual([]);
  });

  it('an admin replacement accepted while the old admin exports: every export is complete or refused, never partial; afterwards only the new admin gets it', async () => {
    const { v, c } = await door();
    const visitors = await Promise.all([newPerson('欧阳修'), newPerson('曾巩')]);
    for (let i = 0; i < 40; i++)
      await recordCheckin(
        h.db,
        c,
        scan(v.venueId, visitors[i % 2].token, ago(3600 - i * 60), { temperature: i % 4 === 0 ? '38.1' : '36.4' }),
        now(),
      );
    const reference = await allFeversOfMyVenue(h.db, v.admin);
    expect(reference?.rows.length).toBeGreaterThan(0);
    const next = await newActor();
    const [{ phone }] = await h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, next.accountId));
    const [{ phone: adminPhone }] = await h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, v.admin.accountId));
    const started = await startAdminReplacement(h.db, { ...v.admin, phone: adminPhone! }, phone!, now());
    if (!started.ok) throw new Error(JSON.stringify(started));
    const exports = Array.from({ length: 20 }, () => allFeversOfMyVenue(h.db, v.admin));
    const [accepted, ...results] = await Promise.all([
      acceptAdminReplacement(h.db, { ...next, phone: phone! }, started.invitationId, now()),
      ...exports,
    ]);
    expect(accepted).toEqual({ ok: true, venueId: v.venueId });
    for (const r of results) expect(r === null || JSON.stringify(r.rows) === JSON.stringify(reference!.rows)).toBe(true);
    expect(await allFeversOfMyVenue(h.db, v.admin)).toBeNull();
    expect((await allFeversOfMyVenue(h.db, next))?.rows).toEqual(reference!.rows);
    expect((await venueOfAdmin(h.db, next.accountId))?.id).toBe(v.venueId);
  });

  it('two officials setting the same person’s colour at once: both changes kept in order, the colour is the last one committed, and the door records it', async () => {
    const officials = [await newActor(), await newActor()];
    for (const o of officials) await grantRole(h.db, o.accountId, 'health_official', null);
    const p = await newPerson('范仲淹');
    const idHash = hashIdDocument(fieldKeys, { idType: 'cn_resident', idNumber: p.idNumber });
    for (let round = 0; round < 5; round++) {
      const at = now();
      const results = await Promise.all([
        setColourByOfficial(
          h.db,
          fieldKeys,
          officials[0],
          { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact' },
          at,
        ),
        setColourByOfficial(h.db, fieldKeys, officials[1], { idType: 'cn_resident', idNumber: p.idNumber, colour: 'green' }, at),
      ]);
      expect(results).toEqual([{ ok: true }, { ok: true }]);
      const rows = await h.db.select().from(statusChanges).where(eq(statusChanges.idHash, idHash)).orderBy(statusChanges.id);
      expect(rows).toHaveLength(2 * (round + 1));
      const last = rows[rows.length - 1];
      const current = await statusAt(h.db, idHash, now());
      expect(current.colour).toBe(last.colour);
      const { v, c } = await door();
      const r = await recordCheckin(h.db, c, { ...scan(v.venueId, p.token, now()), clientId: randomUUID() }, now());
      expect(r.ok && r.record.colour).toBe(last.colour);
      expect(await countCheckins(v.venueId)).toBe(1);
    }
  });
});
