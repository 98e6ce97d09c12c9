// SPEC L3, issue #19: a venue closes (its admin types its name) and may reopen within 30 days. The
// invite code stops working for good and is never handed out again; bindings end through the one
// end-of-binding path; the door, the sunflower code and the alerts answer "closed"; records taken
// before the closure and sent after are still stored; the admin may open another venue and still reads
// the closed one's statistics, by id. Every rule with the actors who must be refused.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { isUniqueViolation } from '@/db/errors';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { claimDueMessages, insertDigest } from '@/db/queries/alerts';
import { digestSlice } from '@/lib/alerts/digest';
import { insertVenue } from '@/db/queries/venues';
import { adminReplacements, alertMessages, auditLog, checkerBindings, notices, venues } from '@/db/schema';
import { doorContext } from '@/lib/checkin/door-context';
import { previewAtDoor } from '@/lib/checkin/door';
import { issueQuickToken, openQuickToken, quickCheckin } from '@/lib/checkin/quick-checkin';
import { recordCheckins } from '@/lib/checkin/record';
import { dailyReportOfMyVenue } from '@/lib/stats/daily-report';
import { allFeversOfMyVenue, checkersOverRangeOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';
import { grantRole } from '@/db/queries/roles';
import { acceptAdminReplacement, findVenueForOfficial, rebindAdminByOfficial, startAdminReplacement } from '@/lib/venues/admin-replacement';
import {
  approveChecker,
  bindByInviteCode,
  lookupInviteCode,
  membersOfMyVenue,
  myCheckerVenues,
  removeChecker,
} from '@/lib/venues/checkers';
import { closeVenue, reopenVenue, REOPEN_WINDOW_DAYS } from '@/lib/venues/close-venue';
import { registerVenue } from '@/lib/venues/register-venue';
import { chinaDateOf } from '@/lib/time';
import { createFixtures, DAY, MIN, type Actor, type Venue } from '../helpers/fixtures';

// The closure is stamped no earlier than the database's clock: the file's times start now.
const base = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '159', base: 3_300_000, step: 67 },
  ids: { fromYear: 1968, stepDays: 29 },
  venue: { namePrefix: '关闭测试场所', address: '中山五路 8 号', contactPhone: '020-83338888' },
  checker: { displayName: '关店门岗', ip: '10.91.0.1', secret: 'test-secret-venue-close' },
  base,
});
const { h, at } = f;
const IP = '10.91.0.2';
const lookup = (actor: Actor, code: string, now: Date) => lookupInviteCode(h.db, actor, code, IP, f.inviteLimits, now);
const bind = (actor: Actor, v: Venue, now: Date) =>
  bindByInviteCode(h.db, actor, { inviteCode: v.inviteCode, displayName: '新门岗' }, IP, f.inviteLimits, now);

async function venueRow(venueId: string) {
  const [row] = await h.db.select().from(venues).where(eq(venues.id, venueId));
  return row;
}
const rowsOfPending = (r: unknown) => rowsOf<{ venue_id: string }>(r);
const bindingsAt = (venueId: string) => h.db.select().from(checkerBindings).where(eq(checkerBindings.venueId, venueId));

/** A venue (approval mode) with an active checker and a pending one, bound an hour before the base time. */
async function staffedVenue() {
  const v = await f.newVenue('approval');
  const active = await f.bindChecker(v, at(-60));
  expect(await approveChecker(h.db, v.admin, await f.openBindingId(v.venueId, active.accountId), at(-59))).toEqual({ ok: true });
  const pending = await f.bindChecker(v, at(-58));
  return { v, active, pending };
}

describe('closing a venue', () => {
  it('refuses a wrong or empty name and every actor but the admin, changing nothing', async () => {
    const { v, active } = await staffedVenue();
    const other = await f.newVenue();
    const resident = await f.newActor();
    const before = { venue: await venueRow(v.venueId), bindings: await bindingsAt(v.venueId) };
    expect(await closeVenue(h.db, v.admin, { confirmName: `${v.name}X` }, at(1))).toEqual({ ok: false, reason: 'name_mismatch' });
    expect(await closeVenue(h.db, v.admin, { confirmName: '   ' }, at(1))).toEqual({ ok: false, reason: 'name_required' });
    expect(await closeVenue(h.db, active, { confirmName: v.name }, at(1))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await closeVenue(h.db, resident, { confirmName: v.name }, at(1))).toEqual({ ok: false, reason: 'not_admin' });
    // Another venue's admin acts on their own venue only: this venue's name does not match theirs.
    expect(await closeVenue(h.db, other.admin, { confirmName: v.name }, at(1))).toEqual({ ok: false, reason: 'name_mismatch' });
    expect({ venue: await venueRow(v.venueId), bindings: await bindingsAt(v.venueId) }).toEqual(before);
    expect((await venueRow(other.venueId)).closedAt).toBeNull();
  });

  it('ends every binding (active and pending), cancels a pending replacement, gives up unsent texts, tells each checker, audits', async () => {
    const phone = f.newPhone();
    const admin = { accountId: (await findOrCreateAccount(h.db, phone)).id, phone };
    const reg = await registerVenue(h.db, admin, {
      name: '  关店 测试  超市 ',
      type: 'retail',
      townshipCode: f.township,
      address: '北京路 1 号',
      contactPhone: '020-81112222',
    });
    if (!reg.ok) throw new Error(JSON.stringify(reg));
    const v: Venue = { admin, venueId: reg.venueId, inviteCode: reg.inviteCode, name: (await venueRow(reg.venueId)).name };
    const c1 = await f.bindChecker(v, at(-60));
    await approveChecker(h.db, admin, await f.openBindingId(v.venueId, c1.accountId), at(-59));
    const c2 = await f.bindChecker(v, at(-58));
    expect((await startAdminReplacement(h.db, admin, f.newPhone(), at(-30))).ok).toBe(true);
    const digest = await insertDigest(h.db, {
      venueId: v.venueId,
      template: 'T',
      params: {},
      fevers: 1,
      reds: 0,
      windowStart: at(-20),
      chinaDay: chinaDateOf(at(-20)),
      coversFrom: at(-25),
      coversUntil: at(-21),
      nextAttemptAt: at(-20),
      createdAt: at(-20),
    });

    // The name as typed goes through the one text normaliser (spaces collapsed, trimmed).
    const closed = await closeVenue(h.db, admin, { confirmName: ' 关店 测试 超市' }, at(0));
    expect(closed).toMatchObject({ ok: true, venueId: v.venueId, bindingsEnded: 2 });
    const row = await venueRow(v.venueId);
    expect(row.closedAt).not.toBeNull();
    expect(row.closedByAccountId).toBe(admin.accountId);
    expect(row.inviteCode).toBe(v.inviteCode); // kept on the row: printed, never handed out again
    for (const b of await bindingsAt(v.venueId)) {
      expect(b.endReason).toBe('venue_closed');
      expect(b.unboundAt!.getTime()).toBeLessThanOrEqual(row.closedAt!.getTime());
      expect(b.unboundByAccountId).toBe(admin.accountId);
    }
    const [replacement] = await h.db.select().from(adminReplacements).where(eq(adminReplacements.venueId, v.venueId));
    expect(replacement.status).toBe('cancelled');
    const [message] = await h.db.select().from(alertMessages).where(eq(alertMessages.id, digest!));
    expect(message).toMatchObject({ status: 'failed', lastError: 'venue_closed' });
    expect((await h.db.transaction((tx) => claimDueMessages(tx, at(5), 50, () => 60_000))).map((m) => m.venueId)).not.toContain(v.venueId);
    const told = await h.db
      .select({ accountId: notices.accountId, params: notices.params })
      .from(notices)
      .where(eq(notices.kind, 'venue_closed'));
    expect(told.filter((n) => n.accountId === c1.accountId || n.accountId === c2.accountId)).toHaveLength(2);
    expect(told.find((n) => n.accountId === c1.accountId)?.params).toEqual({ venueName: v.name });
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'venue.close'), eq(auditLog.targetId, v.venueId)));
    expect(audits).toHaveLength(1);
    expect(audits[0].actorAccountId).toBe(admin.accountId);
    // The checker's 我的场所 no longer lists it; the admin has no open venue (their pages find none).
    expect(await myCheckerVenues(h.db, c1)).toEqual([]);
    expect(await membersOfMyVenue(h.db, admin)).toBeNull();
  });

  it('the invite code then answers 已关闭 (not "no such code"), binds nobody, and is never handed to another venue', async () => {
    const { v } = await staffedVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    const newcomer = await f.newActor();
    expect(await lookup(newcomer, v.inviteCode, at(1))).toEqual({ ok: false, reason: 'venue_closed' });
    expect(await bind(newcomer, v, at(1))).toEqual({ ok: false, reason: 'venue_closed' });
    expect((await bindingsAt(v.venueId)).filter((b) => b.accountId === newcomer.accountId)).toEqual([]);
    // Codes are unique over every venue, closed ones included: the generator's draw of a closed venue's
    // code is refused by the database (registerVenue then draws another).
    let error: unknown;
    try {
      await h.db.transaction((tx) =>
        insertVenue(tx, {
          name: '抢号场所',
          type: 'retail',
          townshipCode: f.township,
          address: '某路 1 号',
          contactPhone: '020-1',
          inviteCode: v.inviteCode,
          adminAccountId: newcomer.accountId,
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(isUniqueViolation(error)).toBe(true);
  });
});

describe('officials', () => {
  it('the official’s look-up by invite code still finds a closed venue, marked closed; nobody else looks it up', async () => {
    const v = await f.newVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    const phone = f.newPhone();
    const official = { accountId: (await findOrCreateAccount(h.db, phone)).id };
    await grantRole(h.db, (await findOrCreateAccount(h.db, phone)).id, 'health_official', null, '44');
    const found = await findVenueForOfficial(h.db, official, v.inviteCode);
    expect(found).toMatchObject({ ok: true, venue: { id: v.venueId, closedAt: expect.any(String) } });
    expect(await findVenueForOfficial(h.db, v.admin, v.inviteCode)).toEqual({ ok: false, reason: 'forbidden' });
  });
});

describe('reopening after an official rebound the closed venue’s admin', () => {
  it('the new admin reads the numbers but cannot reopen; nothing changes', async () => {
    const v = await f.newVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    const phone = f.newPhone();
    const official = { accountId: (await findOrCreateAccount(h.db, phone)).id };
    await grantRole(h.db, (await findOrCreateAccount(h.db, phone)).id, 'health_official', null, '44');
    const successorPhone = f.newPhone();
    const rebound = await rebindAdminByOfficial(
      h.db,
      official,
      { venueId: v.venueId, phone: successorPhone, reason: '原管理员手机号停用' },
      at(1),
    );
    expect(rebound.ok).toBe(true);
    const successor = { accountId: (await findOrCreateAccount(h.db, successorPhone)).id };
    expect(await venueDashboard(h.db, successor, { venueId: v.venueId }, at(2))).not.toBeNull();
    expect(await reopenVenue(h.db, successor, v.venueId, at(2))).toEqual({ ok: false, reason: 'not_found' });
    const [row] = await h.db.select({ closedAt: venues.closedAt }).from(venues).where(eq(venues.id, v.venueId));
    expect(row.closedAt).not.toBeNull();
  });
});

describe('a closed venue after the retention period', () => {
  it('its admin no longer reads it: its numbers are gone from the admin’s view', async () => {
    const v = await f.newVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    expect(await venueDashboard(h.db, v.admin, { venueId: v.venueId }, at((29 * DAY) / MIN))).not.toBeNull();
    expect(await venueDashboard(h.db, v.admin, { venueId: v.venueId }, at((31 * DAY) / MIN))).toBeNull();
  });
});

describe('alerts after the closure', () => {
  it('the digest job drops a closed venue’s counts (a fever sent late from before the closure) and texts nobody', async () => {
    const v = await f.newVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    await h.db.execute(
      sql`insert into alert_pending (venue_id, fevers, reds, first_at, last_at) values (${v.venueId}::uuid, 1, 0, ${at(-5).toISOString()}::timestamptz, ${at(-5).toISOString()}::timestamptz)`,
    );
    // Noon in China: outside the default quiet hours.
    const noon = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + 1, 4));
    await h.db.transaction((tx) => digestSlice(tx, noon, 'T'));
    expect(rowsOfPending(await h.db.execute(sql`select venue_id from alert_pending where venue_id = ${v.venueId}::uuid`))).toEqual([]);
    expect(await h.db.select().from(alertMessages).where(eq(alertMessages.venueId, v.venueId))).toEqual([]);
  });
});

describe('the door and the sunflower code after the closure', () => {
  it('stores a record taken before the closure and sent after (flagged), and answers venue_closed after it', async () => {
    const { v, active } = await staffedVenue();
    const person = await f.newPerson('司马相如');
    const before = f.scan(v.venueId, person.token, at(5));
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(10))).ok).toBe(true);
    // Sent 20 minutes later from the offline queue: effective before the closure → stored, flagged.
    const late = f.stored(await f.record(active, before, at(30)));
    expect(late.checkerUnbound).toBe(true);
    // After the closure: the checker is told the venue closed, by the single path and by the batch.
    expect(await f.record(active, f.scan(v.venueId, person.token, at(11)), at(12))).toEqual({ ok: false, reason: 'venue_closed' });
    const [batchBefore, batchAfter] = await recordCheckins(h.db, [
      { actor: active, payload: f.scan(v.venueId, person.token, at(6)), now: at(31) },
      { actor: active, payload: f.scan(v.venueId, person.token, at(20)), now: at(31) },
    ]);
    expect(batchBefore.ok).toBe(true);
    expect(batchAfter).toEqual({ ok: false, reason: 'venue_closed' });
    expect(await f.countCheckins(v.venueId)).toBe(2);
    // Someone who never checked there still hears not_checker (nothing learnt about the venue).
    const stranger = await f.newActor();
    expect(await f.record(stranger, f.scan(v.venueId, person.token, at(11)), at(12))).toEqual({ ok: false, reason: 'not_checker' });
    // The scanner's context and preview say why.
    const phone = f.newPhone();
    expect(await doorContext(h.db, { ...active, phone }, v.venueId, at(12))).toEqual({ ok: false, status: 403, error: 'venue_closed' });
    expect(await doorContext(h.db, { ...stranger, phone }, v.venueId, at(12))).toEqual({ ok: false, status: 403, error: 'not_checker' });
    expect(await previewAtDoor(h.db, active, { venueId: v.venueId, code: person.token, method: 'scan' }, at(12))).toEqual({
      ok: false,
      reason: 'venue_closed',
    });
  });

  it('the sunflower code: no code is issued; one shown before cannot be opened or confirmed after', async () => {
    const v = await f.newVenue();
    const checker = await f.bindChecker(v, at(-60));
    const visitor = await f.newPerson('卓文君');
    const issued = await issueQuickToken(h.db, f.codeKeys, checker, v.venueId, at(1));
    if (!issued.ok) throw new Error(issued.reason);
    const opened = await openQuickToken(h.db, f.codeKeys, issued.token, at(2));
    if (!opened.ok) throw new Error(opened.reason);
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(3))).ok).toBe(true);
    expect(await issueQuickToken(h.db, f.codeKeys, checker, v.venueId, at(4))).toEqual({ ok: false, reason: 'venue_closed' });
    expect(await openQuickToken(h.db, f.codeKeys, issued.token, at(4))).toEqual({ ok: false, reason: 'venue_closed' });
    const confirmed = await quickCheckin(h.db, f.codeKeys, visitor, { ticket: opened.ticket, personIds: [visitor.personId] }, at(4));
    expect(confirmed).toEqual({ ok: false, reason: 'venue_closed' });
    expect(await f.countCheckins(v.venueId)).toBe(0);
    // A stranger asking for a code still hears not_checker.
    expect(await issueQuickToken(h.db, f.codeKeys, await f.newActor(), v.venueId, at(4))).toEqual({ ok: false, reason: 'not_checker' });
  });
});

describe('one admin ↔ one open venue; the closed venue read by id', () => {
  it('the admin registers another venue and still reads the closed one’s statistics; nobody else does', async () => {
    const { v, active } = await staffedVenue();
    const person = await f.newPerson('班昭');
    f.stored(await f.record(active, f.scan(v.venueId, person.token, at(1)), at(1)));
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(2))).ok).toBe(true);
    expect(await venueDashboard(h.db, v.admin, {}, at(3))).toBeNull(); // no open venue
    const again = await registerVenue(h.db, v.admin, {
      name: '新开的场所',
      type: 'retail',
      townshipCode: f.township,
      address: '新港西路 2 号',
      contactPhone: '020-84440000',
    });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.inviteCode).not.toBe(v.inviteCode);
    const open = await venueDashboard(h.db, v.admin, {}, at(3));
    expect(open?.venue).toMatchObject({ id: again.venueId, closedAt: null });
    const closed = await venueDashboard(h.db, v.admin, { venueId: v.venueId }, at(3));
    expect(closed?.venue.id).toBe(v.venueId);
    expect(closed?.venue.closedAt).toBeInstanceOf(Date);
    expect(closed?.glance.today.checkins).toBe(1);
    expect((await allFeversOfMyVenue(h.db, v.admin, v.venueId))?.venue.id).toBe(v.venueId);
    expect((await checkersOverRangeOfMyVenue(h.db, v.admin, { venueId: v.venueId }, at(3)))?.rows).toHaveLength(1);
    const day = chinaDateOf(at(1));
    const report = await dailyReportOfMyVenue(h.db, v.admin, { from: day, to: day, venueId: v.venueId }, at(3));
    expect(report?.days[0].total.checkins).toBe(1);
    // Refused: another venue's admin, the venue's own (former) checker, a resident — nothing read, no audit.
    const other = await f.newVenue();
    for (const who of [other.admin, active, await f.newActor()]) {
      expect(await venueDashboard(h.db, who, { venueId: v.venueId }, at(3))).toBeNull();
      expect(await allFeversOfMyVenue(h.db, who, v.venueId)).toBeNull();
      expect(await checkersOverRangeOfMyVenue(h.db, who, { venueId: v.venueId }, at(3))).toBeNull();
      expect(await dailyReportOfMyVenue(h.db, who, { from: day, to: day, venueId: v.venueId }, at(3))).toBeNull();
    }
    const reportAudits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'stats.report'), eq(auditLog.venueId, v.venueId)));
    expect(reportAudits.map((a) => a.actorAccountId)).toEqual([v.admin.accountId]);
  });
});

describe('reopening within 30 days', () => {
  it('restores the same code, not the bindings; removed checkers stay blocked; refused to everyone else', async () => {
    const { v, active } = await staffedVenue();
    const removed = await f.bindChecker(v, at(-50));
    await approveChecker(h.db, v.admin, await f.openBindingId(v.venueId, removed.accountId), at(-49));
    await removeChecker(h.db, v.admin, await f.openBindingId(v.venueId, removed.accountId), at(-40));
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    const other = await f.newVenue();
    const before = await venueRow(v.venueId);
    for (const who of [other.admin, active, await f.newActor()])
      expect(await reopenVenue(h.db, who, v.venueId, at(5))).toEqual({ ok: false, reason: 'not_found' });
    expect(await reopenVenue(h.db, other.admin, other.venueId, at(5))).toEqual({ ok: false, reason: 'not_closed' });
    expect(await venueRow(v.venueId)).toEqual(before);

    expect(await reopenVenue(h.db, v.admin, v.venueId, at(60))).toEqual({ ok: true });
    expect((await venueRow(v.venueId)).closedAt).toBeNull();
    expect(await lookup(await f.newActor(), v.inviteCode, at(61))).toMatchObject({ ok: true, venue: { id: v.venueId } });
    expect((await bindingsAt(v.venueId)).filter((b) => b.unboundAt === null)).toEqual([]);
    expect(await bind(removed, v, at(62))).toEqual({ ok: false, reason: 'removed' });
    expect(await bind(active, v, at(62))).toMatchObject({ ok: true, status: 'pending' });
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'venue.reopen'), eq(auditLog.targetId, v.venueId)));
    expect(audits.map((a) => a.actorAccountId)).toEqual([v.admin.accountId]);
  });

  it('is refused while the admin has another open venue, and after 30 days', async () => {
    const v = await f.newVenue();
    expect((await closeVenue(h.db, v.admin, { confirmName: v.name }, at(0))).ok).toBe(true);
    const second = await registerVenue(h.db, v.admin, {
      name: '第二个场所',
      type: 'retail',
      townshipCode: f.township,
      address: '某路 3 号',
      contactPhone: '020-85550000',
    });
    if (!second.ok) throw new Error(JSON.stringify(second));
    expect(await reopenVenue(h.db, v.admin, v.venueId, at(5))).toEqual({ ok: false, reason: 'has_open_venue' });
    expect((await closeVenue(h.db, v.admin, { confirmName: '第二个场所' }, at(6))).ok).toBe(true);
    const late = new Date(at(0).getTime() + REOPEN_WINDOW_DAYS * DAY + MIN);
    expect(await reopenVenue(h.db, v.admin, v.venueId, late)).toEqual({ ok: false, reason: 'reopen_expired' });
    expect((await venueRow(v.venueId)).closedAt).not.toBeNull();
    expect(await reopenVenue(h.db, v.admin, v.venueId, at(7))).toEqual({ ok: true });
  });

  it('a replaced admin cannot reopen; the admin of the row can', async () => {
    const phoneA = f.newPhone();
    const a = { accountId: (await findOrCreateAccount(h.db, phoneA)).id, phone: phoneA };
    const phoneB = f.newPhone();
    const b = { accountId: (await findOrCreateAccount(h.db, phoneB)).id, phone: phoneB };
    const reg = await registerVenue(h.db, a, {
      name: '交接场所',
      type: 'retail',
      townshipCode: f.township,
      address: '某路 4 号',
      contactPhone: '020-86660000',
    });
    if (!reg.ok) throw new Error(JSON.stringify(reg));
    const inv = await startAdminReplacement(h.db, a, phoneB, at(0));
    if (!inv.ok) throw new Error(JSON.stringify(inv));
    expect(await acceptAdminReplacement(h.db, b, inv.invitationId, at(1))).toMatchObject({ ok: true });
    expect((await closeVenue(h.db, a, { confirmName: '交接场所' }, at(2))).ok).toBe(false);
    expect((await closeVenue(h.db, b, { confirmName: '交接场所' }, at(2))).ok).toBe(true);
    expect(await reopenVenue(h.db, a, reg.venueId, at(3))).toEqual({ ok: false, reason: 'not_found' });
    expect(await venueDashboard(h.db, a, { venueId: reg.venueId }, at(3))).toBeNull();
    expect(await reopenVenue(h.db, b, reg.venueId, at(3))).toEqual({ ok: true });
  });
});
