import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findActiveSession, createAuthSession } from '@/db/queries/accounts';
import { drainAll } from '@/db/queries/stats-rollups';
import {
  accountDeletions,
  accountPhoneChanges,
  accounts,
  checkerBindings,
  checkins,
  guardianships,
  notices,
  persons,
  signInCodes,
} from '@/db/schema';
import { cancelDeletion, completeDueDeletions, deletionPreview, requestDeletion } from '@/lib/accounts/deletion';
import { changePhoneSignedIn, requestPhoneChangeCode } from '@/lib/accounts/phone-change';
import { completeDueRecoveries, recoveryForViewer, requestRecovery, requestRecoveryCode, stopRecovery } from '@/lib/accounts/recovery';
import { requestSignInCode, verifySignInCode, type SignInConfig } from '@/lib/auth/sign-in';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { devIdentityVerifier, type IdentityVerifier } from '@/lib/identity/verifier';
import { venueDashboard } from '@/lib/stats/venue-dashboard';
import { captureSender } from '../helpers/capture-sender';
import { createFixtures, DAY, MIN } from '../helpers/fixtures';

// SPEC L2 (#19): phone change signed in, recovery with the old number lost, account deletion.
const f = createFixtures({
  phone: { prefix: '133', base: 2_000_000, step: 43 },
  ids: { fromYear: 1958, stepDays: 19 },
  venue: { namePrefix: '注销测试场所', address: '中山五路 3 号', contactPhone: '020-83330000' },
  base: new Date(),
});
const { h } = f;
const cfg: SignInConfig = {
  secret: 'test-secret-accounts-accounts-accounts-0',
  limits: { codeTtlSeconds: 300, maxAttempts: 5, resendSeconds: 60, dailyPerPhone: 10, hourlyPerIp: 50 },
};
const keys = fieldKeysFromEnv();
let freshSeq = 0;
const freshPhone = () => `133${String(9_000_000 + (freshSeq += 1) * 29).padStart(8, '0')}`;
const phoneOf = async (accountId: string) =>
  (await h.db.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId)))[0]?.phone;
const session = (accountId: string) => createAuthSession(h.db, { accountId, expiresAt: new Date(Date.now() + DAY), userAgent: null });
const tx = <R>(run: (t: typeof h.db) => Promise<R>) => h.db.transaction((t) => run(t as unknown as typeof h.db));

async function codeFor(accountId: string, phone: string, now = new Date()) {
  const sender = captureSender();
  const r = await requestPhoneChangeCode(h.db, cfg, sender, { accountId }, { phone, ip: '10.33.0.1', now });
  return { r, code: sender.sent.at(-1)?.code ?? '' };
}

describe('changing the phone number while signed in', () => {
  it('moves the account to the new number, records it, ends every session; the new number then signs in to the same account', async () => {
    const me = await f.newActor();
    const old = await phoneOf(me.accountId);
    const s1 = await session(me.accountId);
    const s2 = await session(me.accountId);
    const to = freshPhone();
    const { r, code } = await codeFor(me.accountId, to);
    expect(r).toMatchObject({ ok: true });
    const now = new Date();
    expect(await tx((t) => changePhoneSignedIn(t, cfg, me, { phone: to, code }, now))).toMatchObject({ ok: true, phone: to, revoked: 2 });
    expect(await phoneOf(me.accountId)).toBe(to);
    expect(await findActiveSession(h.db, s1, new Date())).toBeNull();
    expect(await findActiveSession(h.db, s2, new Date())).toBeNull();
    const [row] = await h.db.select().from(accountPhoneChanges).where(eq(accountPhoneChanges.accountId, me.accountId));
    expect(row).toMatchObject({ oldPhone: old, newPhone: to, mode: 'signed_in', status: 'completed' });
    // Signing in with the new number reaches the same account; the old number would make a new one.
    const sender = captureSender();
    await requestSignInCode(h.db, cfg, sender, { phone: to, ip: '10.33.0.2', now: new Date(Date.now() + 61_000) });
    const signedIn = await verifySignInCode(h.db, cfg, { phone: to, code: sender.sent[0].code, now: new Date(Date.now() + 62_000) });
    expect(signedIn).toMatchObject({ ok: true, accountId: me.accountId, accountCreated: false });
  });

  it('refuses a number that already has an account (or is its own), changing nothing', async () => {
    const me = await f.newActor();
    const other = await f.newActor();
    const otherPhone = (await phoneOf(other.accountId))!;
    expect((await codeFor(me.accountId, otherPhone)).r).toEqual({ ok: false, reason: 'phone_taken' });
    expect((await codeFor(me.accountId, (await phoneOf(me.accountId))!)).r).toEqual({ ok: false, reason: 'same_phone' });
    // An account made with the number after the code was sent: refused at the check, nothing moved.
    const to = freshPhone();
    const { code } = await codeFor(me.accountId, to);
    await h.db.insert(accounts).values({ phone: to });
    const before = await phoneOf(me.accountId);
    expect(await tx((t) => changePhoneSignedIn(t, cfg, me, { phone: to, code }, new Date()))).toEqual({ ok: false, reason: 'phone_taken' });
    expect(await phoneOf(me.accountId)).toBe(before);
  });

  it('a sign-in code does not change a number, a change code does not sign in, and another account cannot use my code', async () => {
    const me = await f.newActor();
    const thief = await f.newActor();
    const to = freshPhone();
    const sender = captureSender();
    await requestSignInCode(h.db, cfg, sender, { phone: to, ip: '10.33.0.3', now: new Date() });
    const signInCode = sender.sent[0].code;
    expect(await tx((t) => changePhoneSignedIn(t, cfg, me, { phone: to, code: signInCode }, new Date()))).toMatchObject({
      ok: false,
      reason: 'wrong_code',
    });
    const to2 = freshPhone();
    const { code } = await codeFor(me.accountId, to2);
    expect(await verifySignInCode(h.db, cfg, { phone: to2, code })).toMatchObject({ ok: false, reason: 'wrong_code' });
    expect(await tx((t) => changePhoneSignedIn(t, cfg, thief, { phone: to2, code }, new Date()))).toMatchObject({
      ok: false,
      reason: 'wrong_code',
    });
    expect(
      await tx((t) => changePhoneSignedIn(t, cfg, me, { phone: to2, code: '000000' === code ? '111111' : '000000' }, new Date())),
    ).toMatchObject({
      ok: false,
      reason: 'wrong_code',
    });
    // An expired code is refused.
    const late = new Date(Date.now() + 301_000);
    expect(await tx((t) => changePhoneSignedIn(t, cfg, me, { phone: to2, code }, late))).toEqual({ ok: false, reason: 'expired' });
    expect(await phoneOf(me.accountId)).not.toBe(to2);
  });
});

describe('recovering an account whose number is lost', () => {
  async function recover(
    p: { idNumber: string; name: string },
    verifier: IdentityVerifier = devIdentityVerifier,
    phone = freshPhone(),
    now = new Date(),
  ) {
    const sender = captureSender();
    await requestRecoveryCode(h.db, cfg, sender, { phone, ip: '10.33.1.1', now });
    const code = sender.sent.at(-1)?.code ?? '';
    const r = await requestRecovery(
      h.db,
      { cfg, keys, verifier },
      { phone, code, idType: 'cn_resident', idNumber: p.idNumber, name: p.name },
      now,
    );
    return { r, phone };
  }

  it('with the own person’s document and name: pending for the cooling-off period, old number and guardians told; the job then moves the number', async () => {
    const p = await f.newPerson('陈伯安');
    const guardian = await f.newActor();
    await h.db.insert(guardianships).values({ accountId: guardian.accountId, personId: p.personId });
    const s = await session(p.accountId);
    const old = await phoneOf(p.accountId);
    const { r, phone } = await recover(p);
    expect(r).toMatchObject({ ok: true, oldPhone: old });
    if (!r.ok) throw new Error();
    const sent = captureSender();
    await r.afterCommit(sent);
    expect(sent.messages).toEqual([expect.objectContaining({ phone: old, kind: 'phone_change', template: 'SMS_PHONE_CHANGE' })]);
    const told = await h.db
      .select()
      .from(notices)
      .where(and(eq(notices.kind, 'phone_change'), sql`${notices.params}->>'changeId' = ${r.changeId}`));
    expect(told.map((n) => n.phone ?? n.accountId).sort()).toEqual([old, guardian.accountId].sort());
    // Before the end of the cooling-off period nothing moves.
    expect(await tx((t) => completeDueRecoveries(t, new Date()))).toBe(0);
    expect(await phoneOf(p.accountId)).toBe(old);
    expect(await tx((t) => completeDueRecoveries(t, new Date(Date.now() + 73 * 60 * MIN)))).toBe(1);
    expect(await phoneOf(p.accountId)).toBe(phone);
    expect(await findActiveSession(h.db, s, new Date())).toBeNull();
  });

  it('answers the same for an unregistered document and a wrong name, changing nothing', async () => {
    const p = await f.newPerson('林则安');
    const wrongName = await recover({ idNumber: p.idNumber, name: '林则平' });
    const unknown = await recover({ idNumber: f.newResidentId(), name: '林则安' });
    const mismatch = await recover(p, { verify: async () => 'mismatch' });
    expect(wrongName.r).toEqual({ ok: false, reason: 'not_verified' });
    expect(unknown.r).toEqual(wrongName.r);
    expect(mismatch.r).toEqual(wrongName.r);
    expect(await h.db.select().from(accountPhoneChanges).where(eq(accountPhoneChanges.accountId, p.accountId))).toEqual([]);
  });

  it('limits tries per document', async () => {
    const p = await f.newPerson('黄志远');
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push((await recover({ idNumber: p.idNumber, name: '黄志近' })).r);
    expect(answers.slice(0, 5).every((a) => !a.ok && a.reason === 'not_verified')).toBe(true);
    expect(answers[5]).toMatchObject({ ok: false, reason: 'too_many' });
  });

  it('the account or a guardian can stop it; a stranger cannot see or stop it', async () => {
    const p = await f.newPerson('周如海');
    const guardian = await f.newActor();
    const stranger = await f.newActor();
    await h.db.insert(guardianships).values({ accountId: guardian.accountId, personId: p.personId });
    const { r } = await recover(p);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(await recoveryForViewer(h.db, stranger, r.changeId)).toBeNull();
    expect(await tx((t) => stopRecovery(t, stranger, r.changeId, new Date()))).toEqual({ ok: false, reason: 'not_found' });
    expect(await recoveryForViewer(h.db, guardian, r.changeId)).toMatchObject({ status: 'pending', isSelf: false });
    expect(await tx((t) => stopRecovery(t, guardian, r.changeId, new Date()))).toEqual({ ok: true });
    expect(await tx((t) => stopRecovery(t, p, r.changeId, new Date()))).toEqual({ ok: false, reason: 'not_pending' });
    expect(await tx((t) => completeDueRecoveries(t, new Date(Date.now() + 80 * 60 * MIN)))).toBe(0);
    const old = await phoneOf(p.accountId);
    expect(old).not.toBeNull();
    const second = await recover(p);
    if (!second.r.ok) throw new Error();
    expect(await tx((t) => stopRecovery(t, p, second.r.ok ? second.r.changeId : '', new Date()))).toEqual({ ok: true });
  });

  it('fails at the end when the new number got an account meanwhile, nothing changed', async () => {
    const p = await f.newPerson('吴广平');
    const old = await phoneOf(p.accountId);
    const { r, phone } = await recover(p);
    expect(r).toMatchObject({ ok: true });
    await h.db.insert(accounts).values({ phone });
    expect(await tx((t) => completeDueRecoveries(t, new Date(Date.now() + 73 * 60 * MIN)))).toBe(1);
    expect(await phoneOf(p.accountId)).toBe(old);
    const [row] = await h.db.select().from(accountPhoneChanges).where(eq(accountPhoneChanges.accountId, p.accountId));
    expect(row).toMatchObject({ status: 'failed', outcome: 'phone_taken' });
  });
});

describe('deleting an account', () => {
  const later = () => new Date(Date.now() + 8 * DAY);

  it('is refused while the account administers an open venue', async () => {
    const v = await f.newVenue();
    expect((await deletionPreview(h.db, v.admin)).openVenue?.id).toBe(v.venueId);
    expect(await tx((t) => requestDeletion(t, v.admin, { choices: [] }, new Date()))).toEqual({ ok: false, reason: 'open_venue' });
    expect(await h.db.select().from(accountDeletions).where(eq(accountDeletions.accountId, v.admin.accountId))).toEqual([]);
  });

  it('needs a decision for each person guarded only by this account; a hand-over needs an existing account', async () => {
    const me = await f.newActor();
    const child = await f.register(me.accountId, '李小明', 'family');
    expect((await deletionPreview(h.db, me)).persons.map((p) => p.id)).toEqual([child.personId]);
    expect(await tx((t) => requestDeletion(t, me, { choices: [] }, new Date()))).toEqual({ ok: false, reason: 'undecided' });
    expect(
      await tx((t) =>
        requestDeletion(t, me, { choices: [{ personId: child.personId, action: 'hand_over', phone: freshPhone() }] }, new Date()),
      ),
    ).toEqual({ ok: false, reason: 'no_account', personId: child.personId });
    expect(await h.db.select().from(accountDeletions).where(eq(accountDeletions.accountId, me.accountId))).toEqual([]);
  });

  it('can be cancelled by its account only, before the effective time', async () => {
    const me = await f.newActor();
    const other = await f.newActor();
    expect(await tx((t) => requestDeletion(t, me, { choices: [] }, new Date()))).toMatchObject({ ok: true });
    expect(await tx((t) => requestDeletion(t, me, { choices: [] }, new Date()))).toEqual({ ok: false, reason: 'already_pending' });
    expect(await tx((t) => cancelDeletion(t, other, new Date()))).toEqual({ ok: false, reason: 'not_pending' });
    expect(await tx((t) => cancelDeletion(t, me, new Date()))).toEqual({ ok: true });
    expect(await tx((t) => completeDueDeletions(t, later()))).toBe(0);
    expect(await phoneOf(me.accountId)).not.toBeNull();
  });

  it('at the effective time: sessions, bindings and guardianships end, persons are kept or erased, the number is freed, the dashboard is unchanged', async () => {
    const { v, c } = await f.door();
    // The checker deletes their account; their own person checked in at another venue's door.
    const other = await f.door();
    const self = await f.register(c.accountId, '赵子龙', 'self');
    const keptChild = await f.register(c.accountId, '赵小云', 'family');
    const erasedChild = await f.register(c.accountId, '赵小雨', 'family');
    const coGuardian = await f.newActor();
    const heir = await f.newActor();
    await h.db.insert(guardianships).values({ accountId: coGuardian.accountId, personId: self.personId });
    const now = new Date();
    const r1 = f.stored(
      await f.record(c, f.scan(v.venueId, keptChild.token, new Date(now.getTime() - 5 * MIN), { temperature: '38.1' }), now),
    );
    f.stored(
      await f.record(other.c, f.scan(other.v.venueId, erasedChild.token, new Date(now.getTime() - 4 * MIN), { temperature: '37.9' }), now),
    );
    f.stored(await f.record(other.c, f.scan(other.v.venueId, self.token, new Date(now.getTime() - 3 * MIN)), now));
    await drainAll(h.db);
    const before = [await venueDashboard(h.db, v.admin, {}, now), await venueDashboard(h.db, other.v.admin, {}, now)];
    const s = await session(c.accountId);
    const phone = (await phoneOf(c.accountId))!;

    const heirPhone = (await phoneOf(heir.accountId))!;
    const choices = [
      { personId: keptChild.personId, action: 'hand_over' as const, phone: heirPhone },
      { personId: erasedChild.personId, action: 'erase' as const },
    ];
    expect(await tx((t) => requestDeletion(t, c, { choices }, now))).toMatchObject({ ok: true, handedOver: 1 });
    expect(
      await h.db
        .select()
        .from(notices)
        .where(and(eq(notices.accountId, heir.accountId), eq(notices.kind, 'guardian_added'))),
    ).toHaveLength(1);
    expect(await tx((t) => completeDueDeletions(t, now))).toBe(0);
    expect(await tx((t) => completeDueDeletions(t, later()))).toBe(1);

    const [acc] = await h.db.select().from(accounts).where(eq(accounts.id, c.accountId));
    expect(acc.phone).toBeNull();
    expect(acc.deletedAt).not.toBeNull();
    expect(await findActiveSession(h.db, s, new Date())).toBeNull();
    const bindings = await h.db.select().from(checkerBindings).where(eq(checkerBindings.accountId, c.accountId));
    expect(bindings.every((b) => b.unboundAt !== null && b.endReason === 'account_deleted')).toBe(true);
    expect(await h.db.select().from(guardianships).where(eq(guardianships.accountId, c.accountId))).toEqual([]);
    // Own person: kept for the other guardian, unlinked. Handed over: kept. Chosen for erasure: gone.
    const [kept] = await h.db.select({ selfAccountId: persons.selfAccountId }).from(persons).where(eq(persons.id, self.personId));
    expect(kept).toEqual({ selfAccountId: null });
    expect(await h.db.select({ id: persons.id }).from(persons).where(eq(persons.id, keptChild.personId))).toHaveLength(1);
    expect(await h.db.select({ id: persons.id }).from(persons).where(eq(persons.id, erasedChild.personId))).toEqual([]);
    const [rec] = await h.db.select({ personId: checkins.personId }).from(checkins).where(eq(checkins.id, r1.id));
    expect(rec.personId).toBe(keptChild.personId);
    expect(await h.db.select().from(notices).where(eq(notices.accountId, c.accountId))).toEqual([]);
    // The number is free: signing in with it makes a new account.
    const sender = captureSender();
    await requestSignInCode(h.db, cfg, sender, { phone, ip: '10.33.2.1', now: new Date() });
    const again = await verifySignInCode(h.db, cfg, { phone, code: sender.sent[0].code });
    expect(again).toMatchObject({ ok: true, accountCreated: true });
    // Every number on both dashboards is the same.
    await drainAll(h.db);
    const after = [await venueDashboard(h.db, v.admin, {}, now), await venueDashboard(h.db, other.v.admin, {}, now)];
    // Every number, 发热人数 included (visitor-days keep their fevers through the cut, migration 0019); only
    // the erased person's masked name leaves their fever row.
    const numbers = (d: Awaited<ReturnType<typeof venueDashboard>>) => {
      const { fevers, ...rest } = d!;
      return { ...rest, fevers: { ...fevers, rows: fevers.rows.map(({ nameMasked: _n, ...x }) => x) } };
    };
    expect(after.map(numbers)).toEqual(before.map(numbers));
    // The erased child's fever row stays, without a name.
    const erasedRow = after[1]!.fevers.rows.find((x) => x.temperature === '37.9');
    expect(erasedRow).toMatchObject({ nameMasked: null });
  });

  it('erases the own person when nobody else guards them', async () => {
    const p = await f.newPerson('钱学明');
    expect(await tx((t) => requestDeletion(t, p, { choices: [] }, new Date()))).toMatchObject({ ok: true });
    expect(await tx((t) => completeDueDeletions(t, later()))).toBeGreaterThanOrEqual(1);
    expect(await h.db.select().from(persons).where(eq(persons.id, p.personId))).toEqual([]);
    expect(await h.db.select().from(signInCodes).where(eq(signInCodes.phone, 'x'))).toEqual([]);
  });
});
