import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { venueById, venueOfAdmin } from '@/db/queries/venues';
import { adminReplacements, auditLog, checkerBindings, venues } from '@/db/schema';
import { bootstrapOfficials } from '@/lib/health-code/officials';
import { listRegionChildren } from '@/lib/regions/divisions';
import {
  acceptAdminReplacement,
  cancelAdminReplacement,
  findVenueForOfficial,
  myAdminInvitations,
  pendingReplacementOfMyVenue,
  rebindAdminByOfficial,
  startAdminReplacement,
} from '@/lib/venues/admin-replacement';
import { approveChecker, bindByInviteCode, membersOfMyVenue, type InviteLimits } from '@/lib/venues/checkers';
import { editVenueInfo, setBindingMode } from '@/lib/venues/edit-venue';
import { formatInviteCode } from '@/lib/venues/invite-code';
import { registerVenue } from '@/lib/venues/register-venue';
import { onCalendar } from '../helpers/calendar';
import { createTestDb } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

const limits: InviteLimits = { perAccountPerHour: 1000, perIpPerHour: 1000, secret: 'test-secret-admin-replacement' };

let phoneSeq = 0;
const newPhone = () => `134${String(1_000_000 + (phoneSeq += 1) * 59).padStart(8, '0')}`;
type Actor = { accountId: string; phone: string };
async function actorOf(phone: string): Promise<Actor> {
  return { accountId: (await findOrCreateAccount(h.db, phone)).id, phone };
}
const newActor = () => actorOf(newPhone());

const township = () => listRegionChildren(listRegionChildren('4403')[0].code)[0].code;
const info = (name: string) => ({
  name,
  type: 'office',
  townshipCode: township(),
  address: '深南大道 1 号',
  contactPhone: '0755-26668888',
});
let venueSeq = 0;
async function newVenue() {
  const admin = await newActor();
  const result = await registerVenue(h.db, admin, info(`写字楼${(venueSeq += 1)}`));
  if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return { admin, venueId: result.venueId, inviteCode: result.inviteCode };
}

const t0 = onCalendar('2026-12-07T01:00:00Z');
const hours = (n: number) => new Date(t0.getTime() + n * 3_600_000);

async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}
const replacementsOf = (venueId: string) =>
  h.db.select().from(adminReplacements).where(eq(adminReplacements.venueId, venueId)).orderBy(adminReplacements.createdAt);

/**
 * Server only: a separate transaction locks the given venue rows (and optionally one invitation row),
 * starts the calls, waits until `waiters` of them are blocked on a lock, then commits.
 */
async function withRowsLocked<T>(venueIds: string[], waiters: number, calls: () => Promise<T>[], replacementId?: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = h.db.transaction(async (tx) => {
    for (const id of venueIds) await tx.execute(sql`select id from venues where id = ${id} for update`);
    if (replacementId) await tx.execute(sql`select id from admin_replacements where id = ${replacementId} for update`);
    locked();
    await released;
  });
  await isLocked;
  const pending = Promise.allSettled(calls());
  for (let i = 0; i < 200; i++) {
    const [row] = rowsOf<{ n: number }>(
      await h.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      ),
    );
    if (Number(row.n) >= waiters) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  release();
  await holder;
  return { results: await pending };
}

async function started(admin: Actor, phone: string, now: Date) {
  const result = await startAdminReplacement(h.db, admin, phone, now);
  if (!result.ok) throw new Error(`start failed: ${JSON.stringify(result)}`);
  return result.invitationId;
}

let officialPhone: string;
let official: Actor;
beforeAll(async () => {
  officialPhone = newPhone();
  await bootstrapOfficials(h.db, [officialPhone]);
  official = await actorOf(officialPhone);
});

describe('replacing the admin by invitation (V4, V7)', () => {
  it('the invitation is pending for the invited phone; accepting moves the venue, and the old admin loses it', async () => {
    const v = await newVenue();
    const next = await newActor();
    const id = await started(v.admin, ` +86 ${next.phone.slice(0, 3)}-${next.phone.slice(3)}`, hours(0));
    const [row] = await replacementsOf(v.venueId);
    expect(row).toMatchObject({
      id,
      toPhone: next.phone,
      fromAccountId: v.admin.accountId,
      status: 'pending',
      createdAt: hours(0),
      expiresAt: hours(72),
    });
    expect(await pendingReplacementOfMyVenue(h.db, v.admin, hours(1))).toMatchObject({ id });

    expect(await myAdminInvitations(h.db, next, hours(1))).toEqual([
      { id, venueId: v.venueId, venueName: expect.any(String), venueType: 'office', expiresAt: hours(72) },
    ]);
    expect(await myAdminInvitations(h.db, v.admin, hours(1))).toEqual([]);
    expect(await myAdminInvitations(h.db, await newActor(), hours(1))).toEqual([]);
    // Nothing has changed yet.
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);

    expect(await acceptAdminReplacement(h.db, next, id, hours(2))).toEqual({ ok: true, venueId: v.venueId });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(next.accountId);
    expect((await venueOfAdmin(h.db, next.accountId))?.id).toBe(v.venueId);
    expect(await venueOfAdmin(h.db, v.admin.accountId)).toBeNull();
    expect(await editVenueInfo(h.db, v.admin, info('旧管理员改的'), hours(3))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await membersOfMyVenue(h.db, v.admin)).toBeNull();
    expect(await setBindingMode(h.db, v.admin, 'immediate')).toEqual({ ok: false, reason: 'not_admin' });
    expect(await startAdminReplacement(h.db, v.admin, newPhone(), hours(3))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await editVenueInfo(h.db, next, info('新管理员改的'), hours(3))).toEqual({ ok: true });

    expect((await replacementsOf(v.venueId))[0]).toMatchObject({ status: 'accepted', resolvedAt: hours(2) });
    expect(await myAdminInvitations(h.db, next, hours(3))).toEqual([]);
    expect(await pendingReplacementOfMyVenue(h.db, next, hours(3))).toBeNull();
    // The invite code did not change.
    expect((await venueById(h.db, v.venueId))?.inviteCode).toBe(v.inviteCode);
    // Accepting twice is refused.
    expect(await acceptAdminReplacement(h.db, next, id, hours(4))).toEqual({ ok: false, reason: 'not_pending' });

    const audit = await h.db.select().from(auditLog).where(eq(auditLog.targetId, v.venueId)).orderBy(auditLog.at);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['venue.admin_replacement.start', 'venue.admin_replacement.accept']));
    expect(audit.find((a) => a.action === 'venue.admin_replacement.accept')).toMatchObject({
      actorAccountId: next.accountId,
      details: { from: v.admin.accountId, invitationId: id },
    });
    // The former admin may register a venue of their own again.
    expect(await registerVenue(h.db, v.admin, info('旧管理员的新场所'))).toMatchObject({ ok: true });
  });

  it('an invitation to phone X cannot be accepted by account Y', async () => {
    const v = await newVenue();
    const x = await newActor();
    const y = await newActor();
    const id = await started(v.admin, x.phone, hours(0));
    expect(await acceptAdminReplacement(h.db, y, id, hours(1))).toEqual({ ok: false, reason: 'not_found' });
    // Not even the admin who sent it, and not with a made-up id.
    expect(await acceptAdminReplacement(h.db, v.admin, id, hours(1))).toEqual({ ok: false, reason: 'not_found' });
    expect(await acceptAdminReplacement(h.db, y, '00000000-0000-4000-8000-000000000000', hours(1))).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    expect((await replacementsOf(v.venueId))[0].status).toBe('pending');
    expect(await acceptAdminReplacement(h.db, x, id, hours(1))).toEqual({ ok: true, venueId: v.venueId });
  });

  it('expires after 72 hours', async () => {
    const v = await newVenue();
    const x = await newActor();
    const id = await started(v.admin, x.phone, hours(0));
    expect(await myAdminInvitations(h.db, x, hours(71.9))).toHaveLength(1);
    expect(await myAdminInvitations(h.db, x, hours(72))).toEqual([]);
    expect(await pendingReplacementOfMyVenue(h.db, v.admin, hours(72))).toBeNull();
    expect(await acceptAdminReplacement(h.db, x, id, hours(73))).toEqual({ ok: false, reason: 'expired' });
    expect(await acceptAdminReplacement(h.db, x, id, hours(72))).toEqual({ ok: false, reason: 'expired' });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    // The admin can invite again after it expired.
    const again = await started(v.admin, x.phone, hours(80));
    expect(await acceptAdminReplacement(h.db, x, again, hours(81))).toEqual({ ok: true, venueId: v.venueId });
  });

  it('can be cancelled by the admin; a cancelled invitation cannot be accepted', async () => {
    const v = await newVenue();
    const x = await newActor();
    const id = await started(v.admin, x.phone, hours(0));
    expect(await cancelAdminReplacement(h.db, x, hours(1))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await cancelAdminReplacement(h.db, v.admin, hours(1))).toEqual({ ok: true });
    expect(await cancelAdminReplacement(h.db, v.admin, hours(1))).toEqual({ ok: false, reason: 'none_pending' });
    expect((await replacementsOf(v.venueId))[0]).toMatchObject({ status: 'cancelled', resolvedAt: hours(1) });
    expect(await myAdminInvitations(h.db, x, hours(2))).toEqual([]);
    expect(await acceptAdminReplacement(h.db, x, id, hours(2))).toEqual({ ok: false, reason: 'not_pending' });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'venue.admin_replacement.cancel'), eq(auditLog.targetId, v.venueId)))).toBe(1);
  });

  it('an account that already administers another venue cannot accept, and nothing changes', async () => {
    const v = await newVenue();
    const other = await newVenue();
    const id = await started(v.admin, other.admin.phone, hours(0));
    expect(await acceptAdminReplacement(h.db, other.admin, id, hours(1))).toEqual({ ok: false, reason: 'already_admin' });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    expect((await venueById(h.db, other.venueId))?.adminAccountId).toBe(other.admin.accountId);
    expect((await replacementsOf(v.venueId))[0].status).toBe('pending');
    expect(await countRows(auditLog, and(eq(auditLog.action, 'venue.admin_replacement.accept'), eq(auditLog.targetId, v.venueId)))).toBe(0);
    expect(await countRows(venues, eq(venues.adminAccountId, other.admin.accountId))).toBe(1);
  });

  it('one account accepting invitations of two venues at once ends up admin of exactly one', async () => {
    const a = await newVenue();
    const b = await newVenue();
    const x = await newActor();
    const ia = await started(a.admin, x.phone, hours(0));
    const ib = await started(b.admin, x.phone, hours(0));
    expect((await myAdminInvitations(h.db, x, hours(1))).map((i) => i.id).sort()).toEqual([ia, ib].sort());
    const results = await Promise.allSettled([
      acceptAdminReplacement(h.db, x, ia, hours(1)),
      acceptAdminReplacement(h.db, x, ib, hours(1)),
    ]);
    // V4 holds whatever happens: the unique index on venues.admin_account_id.
    expect(await countRows(venues, eq(venues.adminAccountId, x.accountId))).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.ok)).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'fulfilled') {
        if (!r.value.ok) expect(r.value).toEqual({ ok: false, reason: 'already_admin' });
      } else {
        // KNOWN BUG (see the server-only test below): when both accepts overlap, the loser's
        // setVenueAdmin hits venues_admin_uq and the raw 23505 escapes instead of 'already_admin'.
        expect(pgErrorCode(r.reason)).toBe('23505');
      }
    }
    // The losing invitation is still pending (its transaction rolled back or refused).
    const statuses = [...(await replacementsOf(a.venueId)), ...(await replacementsOf(b.venueId))].map((r) => r.status).sort();
    expect(statuses).toEqual(['accepted', 'pending']);
  });

  // Server only: a third connection holds both venue rows, so both accepts pass their checks and
  // then wait at the update; releasing the rows makes them collide on venues_admin_uq every time.
  it.skipIf(!process.env.DATABASE_URL)('overlapping accepts: the loser gets already_admin, not an exception (server)', async () => {
    const a = await newVenue();
    const b = await newVenue();
    const x = await newActor();
    const ia = await started(a.admin, x.phone, hours(0));
    const ib = await started(b.admin, x.phone, hours(0));
    const { results } = await withRowsLocked([a.venueId, b.venueId], 2, () => [
      acceptAdminReplacement(h.db, x, ia, hours(1)),
      acceptAdminReplacement(h.db, x, ib, hours(1)),
    ]);
    expect(await countRows(venues, eq(venues.adminAccountId, x.accountId))).toBe(1);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : { thrown: pgErrorCode(r.reason) }));
    expect(values.filter((r) => 'ok' in r && r.ok)).toHaveLength(1);
    expect(values.filter((r) => !('ok' in r && r.ok))).toEqual([{ ok: false, reason: 'already_admin' }]);
  });

  it('two overlapping invitations by one admin leave exactly one pending', async () => {
    const v = await newVenue();
    const [x, y] = [await newActor(), await newActor()];
    const results = await Promise.allSettled([
      startAdminReplacement(h.db, v.admin, x.phone, hours(0)),
      startAdminReplacement(h.db, v.admin, y.phone, hours(0)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.ok).length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await replacementsOf(v.venueId)).filter((r) => r.status === 'pending')).toHaveLength(1);
  });

  // Server only, forced overlap (as above): the venue row lock serialises the two starts.
  it.skipIf(!process.env.DATABASE_URL)('overlapping invitations: neither throws (server)', async () => {
    const v = await newVenue();
    const [x, y] = [await newActor(), await newActor()];
    // Hold the venue's pending invitation slot: both starts wait at their insert.
    const first = await started(v.admin, newPhone(), hours(0));
    const { results } = await withRowsLocked(
      [],
      2,
      () => [startAdminReplacement(h.db, v.admin, x.phone, hours(1)), startAdminReplacement(h.db, v.admin, y.phone, hours(1))],
      first,
    );
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.ok : pgErrorCode(r.reason)))).toEqual([true, true]);
    expect((await replacementsOf(v.venueId)).filter((r) => r.status === 'pending')).toHaveLength(1);
  });

  it('starting a new invitation cancels the previous one', async () => {
    const v = await newVenue();
    const x = await newActor();
    const y = await newActor();
    const first = await started(v.admin, x.phone, hours(0));
    const second = await started(v.admin, y.phone, hours(1));
    const rows = await replacementsOf(v.venueId);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [first, 'cancelled'],
      [second, 'pending'],
    ]);
    expect(await myAdminInvitations(h.db, x, hours(2))).toEqual([]);
    expect(await acceptAdminReplacement(h.db, x, first, hours(2))).toEqual({ ok: false, reason: 'not_pending' });
    expect(await pendingReplacementOfMyVenue(h.db, v.admin, hours(2))).toMatchObject({ id: second, toPhone: y.phone });
    expect(await acceptAdminReplacement(h.db, y, second, hours(2))).toEqual({ ok: true, venueId: v.venueId });
  });

  it('refuses inviting oneself, an invalid phone, and anyone but the admin inviting', async () => {
    const v = await newVenue();
    expect(await startAdminReplacement(h.db, v.admin, v.admin.phone, hours(0))).toEqual({ ok: false, reason: 'self' });
    expect(await startAdminReplacement(h.db, v.admin, `+86 ${v.admin.phone}`, hours(0))).toEqual({ ok: false, reason: 'self' });
    expect(await startAdminReplacement(h.db, v.admin, '12345', hours(0))).toEqual({ ok: false, reason: 'invalid_phone' });
    expect(await startAdminReplacement(h.db, await newActor(), newPhone(), hours(0))).toEqual({ ok: false, reason: 'not_admin' });
    expect(await replacementsOf(v.venueId)).toEqual([]);
  });

  it('a new admin who was a checker of the venue has that binding ended', async () => {
    const v = await newVenue();
    const c = await newActor();
    expect(await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName: '前台' }, '10.60.0.1', limits, hours(0))).toMatchObject(
      { ok: true },
    );
    const [binding] = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), eq(checkerBindings.accountId, c.accountId)));
    await approveChecker(h.db, v.admin, binding.id, hours(1));
    const id = await started(v.admin, c.phone, hours(2));
    expect(await acceptAdminReplacement(h.db, c, id, hours(3))).toEqual({ ok: true, venueId: v.venueId });
    const [after] = await h.db.select().from(checkerBindings).where(eq(checkerBindings.id, binding.id));
    expect(after).toMatchObject({ boundFrom: hours(1), unboundAt: hours(3), unboundByAccountId: c.accountId, endReason: 'became_admin' });
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, hours(2))).toBe(true);
    expect(await wasActiveCheckerAt(h.db, v.venueId, c.accountId, hours(3))).toBe(false);
    // As admin they cannot bind at their own venue; the old admin can now be a checker there.
    expect(await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName: '前台' }, '10.60.0.1', limits, hours(4))).toEqual({
      ok: false,
      reason: 'is_admin',
    });
    expect(
      await bindByInviteCode(h.db, v.admin, { inviteCode: v.inviteCode, displayName: '老板' }, '10.60.0.1', limits, hours(4)),
    ).toMatchObject({ ok: true, status: 'pending' });
  });

  it("a pending checker's request also ends when they become admin", async () => {
    const v = await newVenue();
    const c = await newActor();
    await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName: '前台' }, '10.60.0.2', limits, hours(0));
    const id = await started(v.admin, c.phone, hours(1));
    expect(await acceptAdminReplacement(h.db, c, id, hours(2))).toEqual({ ok: true, venueId: v.venueId });
    const rows = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), eq(checkerBindings.accountId, c.accountId)));
    expect(rows).toEqual([expect.objectContaining({ boundFrom: null, unboundAt: hours(2), endReason: 'became_admin' })]);
    expect((await membersOfMyVenue(h.db, c))?.pending).toEqual([]);
  });
});

describe('rebinding the admin by a health official', () => {
  it('refuses anyone who is not a health official, changing nothing', async () => {
    const v = await newVenue();
    const x = await newActor();
    for (const actor of [v.admin, x]) {
      expect(await rebindAdminByOfficial(h.db, actor, { venueId: v.venueId, phone: x.phone, reason: '管理员手机丢失' }, hours(0))).toEqual({
        ok: false,
        reason: 'forbidden',
      });
    }
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'venue.admin_rebind'), eq(auditLog.targetId, v.venueId)))).toBe(0);
  });

  it('requires a reason and a valid phone', async () => {
    const v = await newVenue();
    const x = await newActor();
    for (const reason of ['', '   ', '\n\t']) {
      expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: x.phone, reason }, hours(0))).toEqual({
        ok: false,
        reason: 'reason_required',
      });
    }
    // Controls (NUL was a 500) and invisible-only text are refused with their own words.
    for (const [reason, refusal] of [
      ['丢失\u0000', 'text_control'],
      ['\u202E丢失', 'text_control'],
      ['\u200B\u200B', 'text_invisible'],
    ]) {
      expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: x.phone, reason }, hours(0))).toEqual({
        ok: false,
        reason: refusal,
      });
    }
    expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: '123', reason: '丢失' }, hours(0))).toEqual({
      ok: false,
      reason: 'invalid_phone',
    });
    expect(
      await rebindAdminByOfficial(
        h.db,
        official,
        { venueId: '00000000-0000-4000-8000-000000000000', phone: x.phone, reason: '丢失' },
        hours(0),
      ),
    ).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
  });

  it('changes the admin (creating the account if new), cancels a pending invitation, and audits the reason', async () => {
    const v = await newVenue();
    const invited = await newActor();
    const pendingId = await started(v.admin, invited.phone, hours(0));
    const newPhoneNumber = newPhone(); // never signed in yet
    const reason = '原管理员手机遗失，经街道办核实';
    expect(
      await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: newPhoneNumber, reason: `  ${reason} ` }, hours(1)),
    ).toEqual({ ok: true });
    const next = await actorOf(newPhoneNumber);
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(next.accountId);
    expect(await venueOfAdmin(h.db, v.admin.accountId)).toBeNull();
    expect(await editVenueInfo(h.db, v.admin, info('旧管理员'), hours(2))).toEqual({ ok: false, reason: 'not_admin' });
    expect((await replacementsOf(v.venueId))[0]).toMatchObject({ id: pendingId, status: 'cancelled' });
    expect(await acceptAdminReplacement(h.db, invited, pendingId, hours(2))).toEqual({ ok: false, reason: 'not_pending' });

    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'venue.admin_rebind'), eq(auditLog.targetId, v.venueId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorAccountId: official.accountId,
      at: hours(1),
      details: { from: v.admin.accountId, to: next.accountId, reason },
    });
    expect(JSON.stringify(audit[0].details)).not.toContain(newPhoneNumber);
  });

  it('refuses rebinding to the same admin or to an admin of another venue, and ends a checker binding of the new admin', async () => {
    const v = await newVenue();
    const other = await newVenue();
    expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: v.admin.phone, reason: '核实' }, hours(0))).toEqual({
      ok: false,
      reason: 'same_admin',
    });
    expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: other.admin.phone, reason: '核实' }, hours(0))).toEqual(
      {
        ok: false,
        reason: 'already_admin',
      },
    );
    expect((await venueById(h.db, v.venueId))?.adminAccountId).toBe(v.admin.accountId);
    expect((await venueById(h.db, other.venueId))?.adminAccountId).toBe(other.admin.accountId);

    const c = await newActor();
    await setBindingMode(h.db, v.admin, 'immediate');
    await bindByInviteCode(h.db, c, { inviteCode: v.inviteCode, displayName: '保安' }, '10.60.0.3', limits, hours(1));
    expect(await rebindAdminByOfficial(h.db, official, { venueId: v.venueId, phone: c.phone, reason: '核实' }, hours(2))).toEqual({
      ok: true,
    });
    const [binding] = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), eq(checkerBindings.accountId, c.accountId)));
    expect(binding).toMatchObject({ unboundAt: hours(2), endReason: 'became_admin', unboundByAccountId: official.accountId });
  });

  it('findVenueForOfficial finds a venue by its printed code for officials only', async () => {
    const v = await newVenue();
    for (const actor of [v.admin, await newActor()]) {
      expect(await findVenueForOfficial(h.db, actor, v.inviteCode)).toEqual({ ok: false, reason: 'forbidden' });
    }
    const found = await findVenueForOfficial(h.db, official, formatInviteCode(v.inviteCode).toLowerCase());
    const masked = `${v.admin.phone.slice(0, 3)}****${v.admin.phone.slice(7)}`;
    expect(found).toEqual({
      ok: true,
      venue: {
        id: v.venueId,
        name: expect.any(String),
        type: 'office',
        townshipCode: township(),
        adminMaskedPhone: masked,
        closedAt: null,
      },
    });
    expect(JSON.stringify(found)).not.toContain(v.admin.phone);
    expect(await findVenueForOfficial(h.db, official, 'ZZZZZZZZ')).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await findVenueForOfficial(h.db, official, 'nope')).toEqual({ ok: false, reason: 'unknown_code' });
  });
});
