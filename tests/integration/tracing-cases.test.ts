// 流调 cases through their services (SPEC T2–T5, #20): opening and window rules, the case view's
// trajectory and co-presence (bounds, quick and superseded records, the case's own person excluded,
// family, checkers apart), visibility by region and hand-off, marking (idempotent, reversible, notices)
// and its precedence against the status import, and retention holds. Dated from the real clock: the
// retention cut reads the database clock.
process.env.TZ = 'UTC';

import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { statusAt } from '@/db/queries/health-status';
import { drainAll } from '@/db/queries/stats-rollups';
import { auditLog, checkins, notices, persons, traceCaseEvents } from '@/db/schema';
import { importStatusBatch } from '@/lib/health-code/status-import';
import { listRegionChildren } from '@/lib/regions/divisions';
import { caseForOfficial } from '@/lib/tracing/access';
import { loadCaseView } from '@/lib/tracing/case-view';
import {
  caseMarkNote,
  changeCaseWindow,
  clearContacts,
  closeCase,
  handOffVisit,
  listCases,
  markContacts,
  openCase,
  readCase,
} from '@/lib/tracing/cases';
import { addChinaDays, chinaDateOf, startOfChinaDay } from '@/lib/time';
import { DAY, MIN, ms, type Actor, type Person, createFixtures } from '../helpers/fixtures';
import { createTracingHelpers } from '../helpers/tracing';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const TODAY = chinaDateOf(NOW);
const fx = createFixtures({
  phone: { prefix: '149', base: 6_100_000, step: 37 },
  ids: { fromYear: 1961, stepDays: 19 },
  venue: { namePrefix: '流调病例场所', address: '天河路 8 号', contactPhone: '020-88881234' },
  checker: { displayName: '门岗阿明', ip: '10.73.0.1', secret: 'test-secret-tracing-cases' },
  base: NOW,
});
const { h, fieldKeys: keys, newPerson, newVenue, venueIn, bindChecker, newActor, register } = fx;
const { door, quick, official } = createTracingHelpers(fx);
const daysAgo = (d: number, minutes = 0) => ms(NOW, -d * DAY + minutes * MIN);
const YUEXIU = listRegionChildren('440104')[0].code;

const doc = (p: Person) => ({ idType: 'cn_resident', idNumber: p.idNumber });
async function open(by: Actor, p: Person, extra: Record<string, string> = {}) {
  const r = await openCase(h.db, keys, by, { ...doc(p), kind: 'confirmed', indexDate: TODAY, ...extra }, NOW);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.caseId;
}
async function view(by: Actor, caseId: string, now = NOW) {
  const access = await caseForOfficial(h.db, by.accountId, caseId);
  if (!access) return null;
  return loadCaseView(h.db, keys, access, now);
}
const auditCount = async () => Number(rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from audit_log`))[0].n);
const idHashOf = async (p: Person) =>
  (await h.db.select({ idHash: persons.idHash }).from(persons).where(eq(persons.id, p.personId)))[0].idHash;
const noticesOf = (accountId: string) => h.db.select().from(notices).where(eq(notices.accountId, accountId));

describe('the case view (SPEC T2, T3)', () => {
  it('lists the trajectory and everyone within ±window, bounds included; quick and superseded records count; the case is excluded; reads only', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(5), undefined, '门岗阿明');
    const tianhe = await official('440106');
    const [caseP, inside, outside, quicky, retaken, early] = await Promise.all(
      ['欧阳病例', '上官恰好', '司徒差秒', '公孙快码', '长孙复测', '轩辕早到'].map((n) => newPerson(n)),
    );
    const kin = await register(caseP.accountId, '欧阳小妹', 'family');
    const visit = daysAgo(1);
    const own = await door(c, v, caseP, visit);
    const ownRetake = await door(c, v, caseP, ms(visit, 5 * MIN), '36.7');
    await door(c, v, inside, ms(visit, 30 * MIN + 5 * MIN)); // 30 min after the retake: inside
    await door(c, v, outside, ms(visit, 35 * MIN + 1000)); // 30 min 1 s after the retake
    await quick(c, v, quicky, ms(visit, -10 * MIN));
    await door(c, v, retaken, ms(visit, -20 * MIN), '38.2');
    await door(c, v, retaken, ms(visit, -2 * MIN), '36.6');
    await door(c, v, early, ms(visit, -30 * MIN - 1000));
    await door(c, v, kin, ms(visit, 1 * MIN));
    await drainAll(h.db);

    const caseId = await open(tianhe, caseP);
    const before = await auditCount();
    const cv = (await view(tianhe, caseId))!;
    expect(await auditCount()).toBe(before);

    expect(cv.scope).toBe('region');
    expect(cv.case).toMatchObject({
      id: caseId,
      kind: 'confirmed',
      indexDate: TODAY,
      windowMinutes: 30,
      status: 'open',
      regionCode: '440106',
      closedAt: null,
    });
    expect(cv.case.regionName).toContain('天河区');
    expect(cv.case.lookbackFrom).toEqual(startOfChinaDay(addChinaDays(TODAY, -14)));
    expect(cv.case.lookbackTo).toBeNull();
    expect(cv.person).toMatchObject({ id: caseP.personId, name: '欧阳病例', idNumber: caseP.idNumber, idType: 'cn_resident' });
    expect(cv.visits.map((x) => x.checkinId)).toEqual([own.id, ownRetake.id]);
    expect(cv.visits[0]).toMatchObject({
      superseded: true,
      visible: true,
      handoff: null,
      venueName: v.name,
      method: 'scan',
      temperatureDeci: 365,
    });
    expect(cv.visits[0].regionName).toContain('天河区');

    const names = cv.contacts.map((x) => x.name).sort();
    expect(names).toEqual(['上官恰好', '公孙快码', '欧阳小妹', '长孙复测'].sort());
    expect(names).not.toContain('欧阳病例');
    const r = cv.contacts.find((x) => x.name === '长孙复测')!;
    expect(r).toMatchObject({ count: 4, minGapSeconds: 120, family: false, marked: null, idNumber: retaken.idNumber });
    expect(r.visitIds).toEqual([own.id, ownRetake.id]);
    expect(cv.contacts.find((x) => x.name === '上官恰好')!).toMatchObject({ minGapSeconds: 30 * 60, visitIds: [ownRetake.id], count: 1 });
    expect(cv.contacts.find((x) => x.name === '欧阳小妹')!.family).toBe(true);
    expect(cv.visits[0].coPresentCount).toBe(3); // 公孙快码, 长孙复测, 欧阳小妹 (上官恰好 is 35 min after it)
    expect(cv.checkers).toContainEqual(
      expect.objectContaining({ visitId: own.id, displayName: '门岗阿明', accountId: c.accountId, selfPersonId: null }),
    );
    expect(JSON.stringify(cv.checkers)).not.toMatch(/1\d{10}/);

    expect(cv.retention.heldUntilClosed).toBe(true);
    expect(cv.retention.days).toBeGreaterThanOrEqual(15);
    expect(cv.retention.oldestVisitCutAt).toEqual(new Date(visit.getTime() + cv.retention.days * DAY));
    expect(cv.events.map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('opening, windows and closing (SPEC T2)', () => {
  it('refuses bad input and unregistered documents; changes windows within bounds; closes once; all on the timeline and audited', async () => {
    const tianhe = await official('440106');
    const p = await newPerson('东方开案');
    const nobody = fx.nextResident('F').idNumber;
    const resident = await newActor();
    const o = (extra: Record<string, string>, by: Actor = tianhe) =>
      openCase(h.db, keys, by, { ...doc(p), kind: 'confirmed', indexDate: TODAY, ...extra }, NOW);
    expect(await o({}, resident)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await o({ idNumber: '123' })).toMatchObject({ ok: false, reason: 'invalid_document' });
    // SPEC T1: a case is opened for a person inside the region. An unregistered document answers like an
    // outside person below the province level (registration is not told); the province is told.
    expect(await o({ idNumber: nobody })).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await o({ idNumber: nobody }, await official('44'))).toEqual({ ok: false, reason: 'not_registered' });
    expect(await o({})).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await o({}, await official('440104'))).toEqual({ ok: false, reason: 'not_in_region' });
    const here = await newVenue();
    await door(await bindChecker(here, daysAgo(3)), here, p, daysAgo(1));
    expect(await o({ kind: 'flu' })).toEqual({ ok: false, reason: 'invalid_kind' });
    expect(await o({ indexDate: addChinaDays(TODAY, 1) })).toEqual({ ok: false, reason: 'invalid_index_date' });
    expect(await o({ indexDate: addChinaDays(TODAY, -61) })).toEqual({ ok: false, reason: 'invalid_index_date' });
    expect(await o({ lookbackFrom: addChinaDays(TODAY, -29) })).toEqual({ ok: false, reason: 'invalid_lookback' });
    expect(await o({ lookbackFrom: addChinaDays(TODAY, 1) })).toEqual({ ok: false, reason: 'invalid_lookback' });
    expect(await o({ windowMinutes: '4' })).toEqual({ ok: false, reason: 'invalid_window' });
    expect(await o({ windowMinutes: '121' })).toEqual({ ok: false, reason: 'invalid_window' });

    const caseId = await open(tianhe, p, { lookbackFrom: addChinaDays(TODAY, -20), windowMinutes: '45' });
    const c1 = (await view(tianhe, caseId))!;
    expect(c1.case).toMatchObject({ windowMinutes: 45, lookbackFrom: startOfChinaDay(addChinaDays(TODAY, -20)) });

    expect(await changeCaseWindow(h.db, tianhe, caseId, { windowMinutes: '200' }, NOW)).toEqual({ ok: false, reason: 'invalid_window' });
    expect(
      await changeCaseWindow(h.db, tianhe, caseId, { lookbackFrom: addChinaDays(TODAY, -7), lookbackTo: TODAY, windowMinutes: '15' }, NOW),
    ).toEqual({ ok: true });
    const c2 = (await view(tianhe, caseId))!;
    expect(c2.case.windowMinutes).toBe(15);
    expect(c2.case.lookbackTo!.getTime()).toBeLessThanOrEqual(NOW.getTime());

    const elsewhere = await official('440104');
    expect(await changeCaseWindow(h.db, elsewhere, caseId, { windowMinutes: '20' }, NOW)).toEqual({ ok: false, reason: 'not_found' });
    expect(await closeCase(h.db, elsewhere, caseId, NOW)).toEqual({ ok: false, reason: 'not_found' });
    expect(await closeCase(h.db, tianhe, caseId, NOW)).toEqual({ ok: true });
    expect(await closeCase(h.db, tianhe, caseId, NOW)).toEqual({ ok: false, reason: 'case_closed' });
    expect(await changeCaseWindow(h.db, tianhe, caseId, { windowMinutes: '20' }, NOW)).toEqual({ ok: false, reason: 'case_closed' });

    const events = await h.db.select().from(traceCaseEvents).where(eq(traceCaseEvents.caseId, caseId));
    expect(events.map((e) => e.kind)).toEqual(['opened', 'window_changed', 'closed']);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.targetId, caseId));
    expect(audits.map((a) => a.action).sort()).toEqual(['case.close', 'case.open', 'case.window']);
    expect(audits.every((a) => a.reason === caseId)).toBe(true);
  });
});

describe('visibility by region and hand-off (SPEC T4, T5)', () => {
  it('an official of another district sees nothing; a visit there shows only a count until handed off; the receiving officials see and mark only that', async () => {
    const tianheV = await newVenue();
    const yuexiuV = await venueIn(YUEXIU, '越秀流调场所');
    const c1 = await bindChecker(tianheV, daysAgo(5));
    const c2 = await bindChecker(yuexiuV, daysAgo(5));
    const tianhe = await official('440106');
    const yuexiu = await official('440104');
    const province = await official('44');
    const [caseP, nearT, nearY] = await Promise.all(['南宫移交', '西门天河', '北堂越秀'].map((n) => newPerson(n)));
    const a = await door(c1, tianheV, caseP, daysAgo(2));
    const b = await door(c2, yuexiuV, caseP, daysAgo(1));
    await door(c1, tianheV, nearT, daysAgo(2, 10));
    await door(c2, yuexiuV, nearY, daysAgo(1, 10));
    const caseId = await open(tianhe, caseP);

    expect(await readCase(h.db, keys, yuexiu, caseId, NOW)).toEqual({ ok: false, reason: 'not_found' });
    expect(await markContacts(h.db, keys, yuexiu, caseId, [nearY.personId], NOW)).toEqual({ ok: false, reason: 'not_found' });
    expect(await readCase(h.db, keys, tianhe, 'not-a-uuid', NOW)).toEqual({ ok: false, reason: 'not_found' });
    const read = await readCase(h.db, keys, tianhe, caseId, NOW);
    if (!read.ok) throw new Error('read');
    const [outside] = read.view.visits.filter((v) => v.checkinId === b.id);
    expect(outside).toMatchObject({ visible: false, insideRegion: false, coPresentCount: 1, venueName: '越秀流调场所' });
    expect(outside.regionName).toContain('越秀区');
    expect(read.view.contacts.map((x) => x.name)).toEqual(['西门天河']);
    const [readAudit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.read'), eq(auditLog.targetId, caseId)));
    expect(readAudit).toMatchObject({ actorAccountId: tianhe.accountId, reason: caseId });
    expect(await markContacts(h.db, keys, tianhe, caseId, [nearY.personId], NOW)).toEqual({ ok: false, reason: 'not_a_contact' });
    expect(await handOffVisit(h.db, keys, tianhe, caseId, a.id, NOW)).toEqual({ ok: false, reason: 'inside_region' });

    // The province official sees everything, the contacts of both visits.
    expect((await view(province, caseId))!.contacts.map((x) => x.name).sort()).toEqual(['北堂越秀', '西门天河'].sort());
    expect((await listCases(h.db, yuexiu)).ok && ((await listCases(h.db, yuexiu)) as { handed: unknown[] }).handed).toEqual([]);

    expect(await handOffVisit(h.db, keys, tianhe, caseId, b.id, NOW)).toMatchObject({ ok: true, already: false });
    expect(await handOffVisit(h.db, keys, tianhe, caseId, b.id, NOW)).toEqual({ ok: true, already: true });
    const [n] = await noticesOf(yuexiu.accountId);
    expect(n).toMatchObject({ kind: 'case_handoff' });
    expect(n.params).toMatchObject({ caseId, venueName: '越秀流调场所' });
    expect((await noticesOf(province.accountId)).map((x) => x.kind)).toEqual(['case_handoff']);
    expect(await noticesOf(tianhe.accountId)).toEqual([]);

    const seen = (await view(yuexiu, caseId))!;
    expect(seen.scope).toBe('handoff');
    expect(seen.visits.map((v) => v.checkinId)).toEqual([b.id]);
    expect(seen.visits[0]).toMatchObject({ visible: true });
    expect(seen.visits[0].handoff).not.toBeNull();
    expect(seen.contacts.map((x) => x.name)).toEqual(['北堂越秀']);
    const listed = await listCases(h.db, yuexiu);
    expect(listed.ok && listed.handed.map((c) => c.id)).toEqual([caseId]);
    const tianheList = await listCases(h.db, tianhe);
    expect(tianheList.ok && tianheList.mine.map((c) => c.id)).toContain(caseId);

    expect(await markContacts(h.db, keys, yuexiu, caseId, [nearT.personId], NOW)).toEqual({ ok: false, reason: 'not_a_contact' });
    expect(await markContacts(h.db, keys, yuexiu, caseId, [nearY.personId], NOW)).toEqual({ ok: true, marked: 1, already: 0 });
    expect(await closeCase(h.db, yuexiu, caseId, NOW)).toEqual({ ok: false, reason: 'forbidden' });
    expect((await statusAt(h.db, await idHashOf(nearY), ms(NOW, 1000))).colour).toBe('red');
  });
});

describe('marking contacts (SPEC T3)', () => {
  it('marks red from now, idempotent per (case, document), tells the person and their guardians; clears back to green; an import after marking wins', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(5));
    const tianhe = await official('440106');
    const [caseP, x, y, guardian] = await Promise.all(['皇甫标记', '令狐甲', '宇文乙', '令狐家长'].map((n) => newPerson(n)));
    const child = await register(guardian.accountId, '令狐小丙', 'family');
    const visit = daysAgo(1);
    await door(c, v, caseP, visit);
    await door(c, v, x, ms(visit, 5 * MIN));
    await door(c, v, y, ms(visit, 25 * MIN));
    await door(c, v, child, ms(visit, 8 * MIN));
    const caseId = await open(tianhe, caseP);

    expect(await markContacts(h.db, keys, tianhe, caseId, [], NOW)).toEqual({ ok: false, reason: 'none_selected' });
    expect(await markContacts(h.db, keys, tianhe, caseId, [caseP.personId], NOW)).toEqual({ ok: false, reason: 'not_a_contact' });
    expect(await markContacts(h.db, keys, tianhe, caseId, [x.personId, y.personId, child.personId], NOW)).toEqual({
      ok: true,
      marked: 3,
      already: 0,
    });
    const later = ms(NOW, 1000);
    expect(await markContacts(h.db, keys, tianhe, caseId, [x.personId], later)).toEqual({ ok: true, marked: 0, already: 1 });
    for (const p of [x, y, child])
      expect(await statusAt(h.db, await idHashOf(p), later)).toMatchObject({ colour: 'red', reason: 'close_contact' });
    expect((await noticesOf(x.accountId)).map((n) => n.kind)).toEqual(['close_contact']);
    expect((await noticesOf(guardian.accountId)).map((n) => n.kind)).toEqual(['close_contact']);
    const cv = (await view(tianhe, caseId, later))!;
    expect(cv.contacts.every((k) => k.marked && k.marked.clearedAt === null)).toBe(true);
    expect(cv.events.map((e) => e.kind)).toEqual(['opened', 'contacts_marked']);

    // The health authority reports 宇文乙 red (confirmed) after the mark: that wins, and clearing leaves it.
    const imported = await importStatusBatch(
      h.db,
      keys,
      { batchId: `cases-${NOW.getTime()}`, items: [{ ...doc(y), colour: 'red', reason: 'confirmed', asOf: ms(NOW, 2000).toISOString() }] },
      ms(NOW, 3000),
    );
    expect(imported.status).toBe(200);
    expect(await statusAt(h.db, await idHashOf(y), ms(NOW, 3000))).toMatchObject({ colour: 'red', reason: 'confirmed' });
    // An import dated before the mark is history: the mark stays.
    await importStatusBatch(
      h.db,
      keys,
      { batchId: `cases-old-${NOW.getTime()}`, items: [{ ...doc(x), colour: 'green', asOf: ms(NOW, -60_000).toISOString() }] },
      ms(NOW, 3000),
    );
    expect(await statusAt(h.db, await idHashOf(x), ms(NOW, 3000))).toMatchObject({ colour: 'red', reason: 'close_contact' });

    const end = ms(NOW, 4000);
    expect(await clearContacts(h.db, await official('440104'), caseId, end)).toEqual({ ok: false, reason: 'not_found' });
    expect(await clearContacts(h.db, tianhe, caseId, end)).toEqual({ ok: true, cleared: 3, green: 2, keptRed: 1 });
    expect((await statusAt(h.db, await idHashOf(x), end)).colour).toBe('green');
    expect((await statusAt(h.db, await idHashOf(child), end)).colour).toBe('green');
    expect(await statusAt(h.db, await idHashOf(y), end)).toMatchObject({ colour: 'red', reason: 'confirmed' });
    expect((await noticesOf(x.accountId)).map((n) => n.kind).sort()).toEqual(['close_contact', 'close_contact_cleared']);
    expect((await noticesOf(y.accountId)).map((n) => n.kind)).toEqual(['close_contact']);
    expect(await clearContacts(h.db, tianhe, caseId, ms(end, 1000))).toEqual({ ok: true, cleared: 0, green: 0, keptRed: 0 });

    // Reversible: marked again after clearing.
    expect(await markContacts(h.db, keys, tianhe, caseId, [x.personId], ms(end, 2000))).toEqual({ ok: true, marked: 1, already: 0 });
    const latest = await h.db.execute(
      sql`select note from status_changes where id_hash = ${await idHashOf(x)} order by valid_from desc, id desc limit 1`,
    );
    expect(rowsOf<{ note: string }>(latest)[0].note).toBe(caseMarkNote(caseId));
  });

  it('a checker on duty is markable only through their own person', async () => {
    const v = await newVenue();
    const checkerPerson = await newPerson('门岗本人');
    const withSelf = await bindChecker(v, daysAgo(5), { accountId: checkerPerson.accountId }, '门岗甲');
    const tianhe = await official('440106');
    const [caseP, visitor] = await Promise.all(['夏侯值守', '尉迟访客'].map((n) => newPerson(n)));
    await door(withSelf, v, caseP, daysAgo(1));
    await door(withSelf, v, visitor, daysAgo(1, 3));
    const caseId = await open(tianhe, caseP);
    const cv = (await view(tianhe, caseId))!;
    expect(cv.checkers).toEqual([expect.objectContaining({ displayName: '门岗甲', selfPersonId: checkerPerson.personId })]);
    expect(await markContacts(h.db, keys, tianhe, caseId, [checkerPerson.personId], NOW)).toEqual({ ok: true, marked: 1, already: 0 });
  });
});

describe('an open case holds its records from retention (SPEC L4), through the services', () => {
  it('keeps the records while open, cuts them once closed', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(40));
    const tianhe = await official('440106');
    const [caseP, near] = await Promise.all(['诸葛保留', '慕容邻座'].map((n) => newPerson(n)));
    // Index date 10 days ago: the look-back reaches 24 days back, past a 20-day cut.
    const visit = daysAgo(22);
    const late = daysAgo(20);
    const own = await door(c, v, caseP, visit, '36.5', { receivedAt: late });
    const nearRec = await door(c, v, near, ms(visit, 20 * MIN), '36.5', { receivedAt: late });
    await drainAll(h.db);
    const linkOf = async (id: string) =>
      (await h.db.select({ personId: checkins.personId }).from(checkins).where(eq(checkins.id, id)))[0]?.personId ?? null;
    const caseId = await open(tianhe, caseP, { indexDate: addChinaDays(TODAY, -10) });
    expect((await view(tianhe, caseId))!.visits.map((x) => x.checkinId)).toEqual([own.id]);

    await h.db.execute(sql`select checkins_cut_person_links(20, 1000)`);
    expect(await linkOf(own.id)).toBe(caseP.personId);
    expect(await linkOf(nearRec.id)).toBe(near.personId);
    expect(await closeCase(h.db, tianhe, caseId, NOW)).toEqual({ ok: true });
    await h.db.execute(sql`select checkins_cut_person_links(20, 1000)`);
    expect(await linkOf(own.id)).toBeNull();
    expect(await linkOf(nearRec.id)).toBeNull();
  });
});
