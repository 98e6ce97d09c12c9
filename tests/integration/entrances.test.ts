// 多入口: the admin's entrances (validated, unique among the open ones, soft-removed only, the main one
// kept), audited; and the door's write with entrances (another venue's refused, a removed one's queued
// record still accepted).
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { entrancesOfVenue, isOpenEntranceOfVenue, mainEntranceOfVenue } from '@/db/queries/entrances';
import { auditLog, checkins, venueEntrances } from '@/db/schema';
import { doorContext } from '@/lib/checkin/door-context';
import { addEntrance, entrancesOfMyVenue, removeEntrance, renameEntrance, validateEntranceName } from '@/lib/venues/entrances';
import { createFixtures } from '../helpers/fixtures';
import { asOwner } from '../helpers/test-db';

const f = createFixtures({
  phone: { prefix: '187', base: 8_100_000, step: 43 },
  ids: { fromYear: 1966, stepDays: 19 },
  venue: { namePrefix: '多入口场所', address: '中山大道 8 号', contactPhone: '020-66668888' },
  checker: { displayName: '北门保安', ip: '10.70.0.3', secret: 'test-secret-entrances' },
});
const { at } = f;

async function added(admin: { accountId: string }, name: string, when = at(0)) {
  const r = await addEntrance(f.h.db, admin, { name }, when);
  if (!('entranceId' in r)) throw new Error(JSON.stringify(r));
  return r.entranceId;
}

describe('the name of an entrance', () => {
  it('is normalised and 1–20 characters; control characters and invisible-only text are refused', () => {
    expect(validateEntranceName('  东门 \u200b ')).toEqual({ ok: true, name: '东门' });
    expect(validateEntranceName('地下  车库')).toEqual({ ok: true, name: '地下 车库' });
    expect(validateEntranceName('')).toEqual({ ok: false, reason: 'entrance_name' });
    expect(validateEntranceName('   ')).toEqual({ ok: false, reason: 'entrance_name' });
    expect(validateEntranceName('门'.repeat(20))).toEqual({ ok: true, name: '门'.repeat(20) });
    expect(validateEntranceName('门'.repeat(21))).toEqual({ ok: false, reason: 'entrance_name' });
    expect(validateEntranceName('𠀀'.repeat(20))).toMatchObject({ ok: true });
    expect(validateEntranceName('东\u202e门')).toEqual({ ok: false, reason: 'text_control' });
    expect(validateEntranceName('\u200b\u200b')).toEqual({ ok: false, reason: 'text_invisible' });
    expect(validateEntranceName(42)).toEqual({ ok: false, reason: 'entrance_name' });
  });
});

describe('the admin manages the entrances', () => {
  it('a new venue has its main entrance; added ones follow it in order of creation', async () => {
    const v = await f.newVenue();
    const main = await mainEntranceOfVenue(f.h.db, v.venueId);
    expect(main).toMatchObject({ isMain: true, name: null, removedAt: null });
    const east = await added(v.admin, '东门', at(1));
    const north = await added(v.admin, '北门', at(2));
    expect((await entrancesOfVenue(f.h.db, v.venueId)).map((e) => e.id)).toEqual([main!.id, east, north]);
    const audit = await f.h.db
      .select({ action: auditLog.action, venueId: auditLog.venueId, targetId: auditLog.targetId })
      .from(auditLog)
      .where(and(eq(auditLog.venueId, v.venueId), eq(auditLog.action, 'entrance.add')));
    expect(audit).toEqual([
      { action: 'entrance.add', venueId: v.venueId, targetId: east },
      { action: 'entrance.add', venueId: v.venueId, targetId: north },
    ]);
  });

  it('refuses a bad or taken name and changes nothing', async () => {
    const v = await f.newVenue();
    await added(v.admin, '东门');
    const before = await entrancesOfVenue(f.h.db, v.venueId, { includeRemoved: true });
    expect(await addEntrance(f.h.db, v.admin, { name: '' })).toEqual({ ok: false, reason: 'entrance_name' });
    expect(await addEntrance(f.h.db, v.admin, { name: '门'.repeat(21) })).toEqual({ ok: false, reason: 'entrance_name' });
    expect(await addEntrance(f.h.db, v.admin, { name: ' 东门 ' })).toEqual({ ok: false, reason: 'name_taken' });
    // The unnamed main entrance is called 主入口: another entrance may not be.
    expect(await addEntrance(f.h.db, v.admin, { name: '主入口' })).toEqual({ ok: false, reason: 'name_taken' });
    expect(await addEntrance(f.h.db, v.admin, { name: 'main ENTRANCE' })).toEqual({ ok: false, reason: 'name_taken' });
    expect(await entrancesOfVenue(f.h.db, v.venueId, { includeRemoved: true })).toEqual(before);
    const audits = await f.h.db.select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.venueId, v.venueId));
    expect(audits.filter((r) => r.a.startsWith('entrance.'))).toHaveLength(1);
  });

  it('renames an entrance, the main one too; a taken name is refused', async () => {
    const v = await f.newVenue();
    const main = (await mainEntranceOfVenue(f.h.db, v.venueId))!;
    const east = await added(v.admin, '东门', at(1));
    await added(v.admin, '北门', at(2));
    expect(await renameEntrance(f.h.db, v.admin, { entranceId: east, name: '北门' })).toEqual({ ok: false, reason: 'name_taken' });
    expect(await renameEntrance(f.h.db, v.admin, { entranceId: east, name: '东门' })).toEqual({ ok: false, reason: 'unchanged' });
    expect(await renameEntrance(f.h.db, v.admin, { entranceId: east, name: '东门（天桥）' }, at(5))).toEqual({ ok: true });
    expect(await renameEntrance(f.h.db, v.admin, { entranceId: main.id, name: '正门' }, at(6))).toEqual({ ok: true });
    // Now the main entrance is 正门, so 主入口 is free for another door.
    expect(await addEntrance(f.h.db, v.admin, { name: '主入口' }, at(7))).toMatchObject({ ok: true });
    const names = (await entrancesOfVenue(f.h.db, v.venueId)).map((e) => e.name);
    expect(names).toEqual(['正门', '东门（天桥）', '北门', '主入口']);
    const [audit] = await f.h.db
      .select({ details: auditLog.details, venueId: auditLog.venueId })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, east), eq(auditLog.action, 'entrance.rename')));
    expect(audit).toEqual({ venueId: v.venueId, details: { from: '东门', to: '东门（天桥）' } });
  });

  it('removes softly: the row stays, the name is free again; the main entrance cannot be removed', async () => {
    const v = await f.newVenue();
    const main = (await mainEntranceOfVenue(f.h.db, v.venueId))!;
    const east = await added(v.admin, '东门');
    expect(await removeEntrance(f.h.db, v.admin, { entranceId: main.id })).toEqual({ ok: false, reason: 'main_kept' });
    expect(await removeEntrance(f.h.db, v.admin, { entranceId: east }, at(10))).toEqual({ ok: true });
    expect(await removeEntrance(f.h.db, v.admin, { entranceId: east }, at(11))).toEqual({ ok: false, reason: 'not_found' });
    expect(await renameEntrance(f.h.db, v.admin, { entranceId: east, name: '东门二' })).toEqual({ ok: false, reason: 'not_found' });
    expect(await isOpenEntranceOfVenue(f.h.db, v.venueId, east)).toBe(false);
    const page = await entrancesOfMyVenue(f.h.db, v.admin);
    expect(page!.open.map((e) => e.id)).toEqual([main.id]);
    expect(page!.removed).toEqual([expect.objectContaining({ id: east, name: '东门', removedAt: at(10) })]);
    // A new 东门 may be added (the old one keeps its records and its name).
    const eastAgain = await added(v.admin, '东门', at(12));
    expect(eastAgain).not.toBe(east);
    expect(await isOpenEntranceOfVenue(f.h.db, v.venueId, eastAgain)).toBe(true);
    const removals = await f.h.db
      .select({ venueId: auditLog.venueId })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, east), eq(auditLog.action, 'entrance.remove')));
    expect(removals).toEqual([{ venueId: v.venueId }]);
  });

  it('the database itself keeps the main entrance and refuses deleting any entrance', async () => {
    const v = await f.newVenue();
    const main = (await mainEntranceOfVenue(f.h.db, v.venueId))!;
    await expect(
      f.h.db
        .update(venueEntrances)
        .set({ removedAt: at(0) })
        .where(eq(venueEntrances.id, main.id)),
    ).rejects.toThrow();
    await expect(asOwner(f.h, (db) => db.delete(venueEntrances).where(eq(venueEntrances.id, main.id)))).rejects.toThrow();
    expect(await mainEntranceOfVenue(f.h.db, v.venueId)).toMatchObject({ id: main.id, removedAt: null });
  });

  it('only the venue’s admin: a checker, another venue’s admin and a stranger change nothing', async () => {
    const v = await f.newVenue();
    const w = await f.newVenue();
    const checker = await f.bindChecker(v, at(-60));
    const east = await added(v.admin, '东门');
    const stranger = await f.newActor();
    for (const who of [checker, stranger]) {
      expect(await addEntrance(f.h.db, who, { name: '西门' })).toEqual({ ok: false, reason: 'not_admin' });
      expect(await renameEntrance(f.h.db, who, { entranceId: east, name: '西门' })).toEqual({ ok: false, reason: 'not_admin' });
      expect(await removeEntrance(f.h.db, who, { entranceId: east })).toEqual({ ok: false, reason: 'not_admin' });
    }
    // The other admin acts on their own venue only: this venue's entrance is not theirs to find.
    expect(await renameEntrance(f.h.db, w.admin, { entranceId: east, name: '西门' })).toEqual({ ok: false, reason: 'not_found' });
    expect(await removeEntrance(f.h.db, w.admin, { entranceId: east })).toEqual({ ok: false, reason: 'not_found' });
    expect((await entrancesOfVenue(f.h.db, v.venueId)).map((e) => e.name)).toEqual([null, '东门']);
    expect(await entrancesOfMyVenue(f.h.db, checker)).toBeNull();
  });
});

describe('the door and the entrances', () => {
  it('the scanner’s context lists the open entrances, main first', async () => {
    const { v, c } = await f.door();
    const east = await added(v.admin, '东门', at(1));
    const gone = await added(v.admin, '旧门', at(2));
    expect(await removeEntrance(f.h.db, v.admin, { entranceId: gone })).toEqual({ ok: true });
    const answer = await doorContext(f.h.db, { accountId: c.accountId, phone: '13800000000' }, v.venueId, at(0));
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    expect(answer.context.entrances).toEqual([
      { id: expect.any(String), name: null, isMain: true },
      { id: east, name: '东门', isMain: false },
    ]);
  });

  it('a record carries its entrance; none named: the main one; another venue’s entrance is refused', async () => {
    const { v, c } = await f.door();
    const w = await f.newVenue();
    const east = await added(v.admin, '东门');
    const elsewhere = await added(w.admin, '东门');
    const main = (await mainEntranceOfVenue(f.h.db, v.venueId))!;
    const p = await f.newPerson('上官东');
    const q = await f.newPerson('上官北');

    const atEast = f.stored(await f.record(c, f.scan(v.venueId, p.token, at(0), { entranceId: east }), at(0)));
    expect(atEast.entranceId).toBe(east);
    const atMain = f.stored(await f.record(c, f.scan(v.venueId, q.token, at(1)), at(1)));
    expect(atMain.entranceId).toBe(main.id);

    const before = await f.countCheckins(v.venueId);
    const wrong = await f.record(c, f.scan(v.venueId, q.token, at(2), { entranceId: elsewhere }), at(2));
    expect(wrong).toEqual({ ok: false, reason: 'unknown_entrance' });
    const made = await f.record(c, f.scan(v.venueId, q.token, at(3), { entranceId: '00000000-0000-4000-8000-000000000000' }), at(3));
    expect(made).toEqual({ ok: false, reason: 'unknown_entrance' });
    expect(await f.countCheckins(v.venueId)).toBe(before);
  });

  it('a record queued at an entrance that was removed before it arrived is still accepted (judged as of its time)', async () => {
    const { v, c } = await f.door();
    const north = await added(v.admin, '北门', at(-120));
    const p = await f.newPerson('司徒北');
    // Taken at 北门 offline at 0; the admin removes 北门 at 5; the record arrives at 30.
    const queued = f.scan(v.venueId, p.token, at(0), { entranceId: north });
    expect(await removeEntrance(f.h.db, v.admin, { entranceId: north }, at(5))).toEqual({ ok: true });
    const r = f.stored(await f.record(c, queued, at(30)));
    expect(r.entranceId).toBe(north);
    const [row] = await f.h.db.select({ e: checkins.entranceId }).from(checkins).where(eq(checkins.id, r.id));
    expect(row.e).toBe(north);
    // checkin_insert takes any entrance of the venue, removed or not: the door offers only open ones,
    // and a record is never refused for what happened after its effective time. Said here in SQL too:
    const [fn] = rowsOf<{ src: string }>(await f.h.db.execute(sql`select prosrc as src from pg_proc where proname = 'checkin_insert'`));
    expect(fn.src).not.toMatch(/removed_at/);
  });

  it('a re-scan at another entrance supersedes per venue and moves the visit to the new entrance', async () => {
    const { v, c } = await f.door();
    const east = await added(v.admin, '东门');
    const north = await added(v.admin, '北门');
    const p = await f.newPerson('慕容换门');
    const first = f.stored(await f.record(c, f.scan(v.venueId, p.token, at(0), { entranceId: east, temperature: '37.6' }), at(0)));
    const again = f.stored(await f.record(c, f.scan(v.venueId, p.token, at(3), { entranceId: north }), at(3)));
    expect(again.supersedes).toBe(first.id);
    const standing = await f.h.db
      .select({ e: checkins.entranceId })
      .from(checkins)
      .where(
        and(
          eq(checkins.venueId, v.venueId),
          sql`${checkins.supersededById} is null`,
          sql`not exists (select 1 from checkins s where s.venue_id = ${checkins.venueId} and s.supersedes_id = ${checkins.id})`,
        ),
      );
    expect(standing).toEqual([{ e: north }]);
  });
});
