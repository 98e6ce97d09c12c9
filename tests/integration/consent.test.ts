import { and, count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { personsOfAccount } from '@/db/queries/persons';
import { auditLog, guardianships, linkRequests, notices, persons } from '@/db/schema';
import { getCodeForAccount, reissueCodes } from '@/lib/health-code/personal-codes';
import { stopGuarding } from '@/lib/identity/family';
import { endAllMyGuardianships, myGuardians, removeMyGuardian } from '@/lib/identity/guardians';
import { answerLinkRequest, cancelLinkRequest, LINK_REQUEST_TTL_MS, linkRequestsPage } from '@/lib/identity/link-requests';
import { LINK_FAILURE_LIMITS, registerPerson, type RegisterInput } from '@/lib/identity/register-person';
import { devIdentityVerifier, type IdentityVerifier } from '@/lib/identity/verifier';
import { createFixtures, DAY } from '../helpers/fixtures';

// SPEC L1 (#19): a registered person is linked to another account only with consent, a wrong name answers
// like an unregistered document, failures are limited without locking a victim's document, a person sees
// and removes their guardians, and a code is re-issued by the person's own account.
const { h, fieldKeys, newAccount, register, nextResident } = createFixtures({
  phone: { prefix: '173', base: 4_400_000, step: 29 },
  ids: { fromYear: 1958, stepDays: 13 },
});

const countingVerifier = () => {
  const calls: string[] = [];
  const verifier: IdentityVerifier & { calls: string[] } = {
    calls,
    async verify(doc) {
      calls.push(doc.idNumber);
      return 'match';
    },
  };
  return verifier;
};
const ask = (accountId: string, input: RegisterInput, now = new Date(), verifier: IdentityVerifier = devIdentityVerifier) =>
  registerPerson(h.db, { keys: fieldKeys, verifier }, { accountId }, input, now);
const doc = (idNumber: string, name: string, relation: 'self' | 'family' = 'family'): RegisterInput => ({
  idType: 'cn_resident',
  idNumber,
  name,
  relation,
});
function requestIdOf(r: Awaited<ReturnType<typeof registerPerson>>) {
  if (r.ok || !('requestId' in r)) throw new Error(`no request: ${JSON.stringify(r)}`);
  return r.requestId;
}
const answer = (accountId: string, requestId: string, a: 'accept' | 'refuse', now = new Date()) =>
  h.db.transaction((tx) => answerLinkRequest(tx, { accountId }, { requestId, answer: a }, now));
async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}
const noticesOf = (accountId: string, kind?: string) =>
  h.db
    .select({ kind: notices.kind, params: notices.params })
    .from(notices)
    .where(and(eq(notices.accountId, accountId), kind ? eq(notices.kind, kind as 'link_request') : undefined));
const guardiansOf = async (personId: string) =>
  (await h.db.select({ a: guardianships.accountId }).from(guardianships).where(eq(guardianships.personId, personId)))
    .map((r) => r.a)
    .sort();
/** Nothing of the person is readable by `accountId`: not listed, no code. */
async function expectNothingReadable(accountId: string, personId: string) {
  expect((await personsOfAccount(h.db, accountId)).map((p) => p.id)).not.toContain(personId);
  expect(
    await getCodeForAccount(
      h.db,
      { codeKeys: (await import('@/lib/health-code/token')).codeKeysFromEnv(), fieldKeys },
      { accountId },
      personId,
      'personal',
    ),
  ).toBeNull();
}

describe('takeover paths end in a pending request and nothing readable', () => {
  it('a stranger adding an adult as family by name and ID: the adult is asked, refuses, and the stranger is told', async () => {
    const adult = await register(await newAccount(), '欧阳成年', 'self');
    const stranger = await newAccount();
    const r = await ask(stranger, doc(adult.idNumber, adult.name));
    expect(r).toEqual({ ok: false, reason: 'link_requested', requestId: expect.any(String) });
    const requestId = requestIdOf(r);
    await expectNothingReadable(stranger, adult.personId);
    expect(await guardiansOf(adult.personId)).toEqual([]);

    // The adult's inbox has the request: who asks by masked phone, no clear name.
    const [n] = await noticesOf(adult.accountId, 'link_request');
    expect(n.params).toMatchObject({ requestId, relation: 'family', person: '欧***', who: expect.stringMatching(/^173\*{4}\d{4}$/) });
    expect(JSON.stringify(n)).not.toContain(adult.name);
    const page = await linkRequestsPage(h.db, { accountId: adult.accountId }, new Date());
    expect(page.incoming).toMatchObject([{ id: requestId, status: 'pending', relation: 'family' }]);
    expect((await linkRequestsPage(h.db, { accountId: stranger }, new Date())).outgoing).toMatchObject([
      { id: requestId, status: 'pending' },
    ]);

    expect(await answer(adult.accountId, requestId, 'refuse')).toEqual({ ok: true, outcome: 'refused' });
    await expectNothingReadable(stranger, adult.personId);
    expect(await noticesOf(stranger, 'link_result')).toMatchObject([{ params: { outcome: 'refused', requestId } }]);
    // Answered once only.
    expect(await answer(adult.accountId, requestId, 'accept')).toEqual({ ok: false, reason: 'already_answered' });
    expect(await guardiansOf(adult.personId)).toEqual([]);
  });

  it('an account claiming an already registered person as self: the guardians are asked; one accepts and everybody is told', async () => {
    const mum = await newAccount();
    const dad = await newAccount();
    const child = await register(mum, '陈认领', 'family', 'F', '2000-02-02');
    await h.db.insert(guardianships).values({ accountId: dad, personId: child.personId });
    const claimant = await newAccount();
    const requestId = requestIdOf(await ask(claimant, doc(child.idNumber, child.name, 'self')));
    expect((await h.db.select().from(persons).where(eq(persons.id, child.personId)))[0].selfAccountId).toBeNull();
    await expectNothingReadable(claimant, child.personId);
    expect((await noticesOf(mum, 'link_request')).length).toBe(1);
    expect((await noticesOf(dad, 'link_request')).length).toBe(1);

    // Neither the claimant nor a stranger may answer it.
    const stranger = await newAccount();
    for (const who of [claimant, stranger]) expect(await answer(who, requestId, 'accept')).toEqual({ ok: false, reason: 'not_found' });
    await expectNothingReadable(claimant, child.personId);

    expect(await answer(dad, requestId, 'accept')).toEqual({ ok: true, outcome: 'accepted' });
    expect((await h.db.select().from(persons).where(eq(persons.id, child.personId)))[0].selfAccountId).toBe(claimant);
    expect(await noticesOf(claimant, 'link_result')).toMatchObject([{ params: { outcome: 'accepted', relation: 'self' } }]);
    // Every guardian is told (the one who accepted knows).
    expect(await noticesOf(mum, 'guardian_added')).toMatchObject([{ params: { relation: 'self', person: '陈**' } }]);
    expect(await noticesOf(dad, 'guardian_added')).toEqual([]);
    // Now the person has an account of their own: requests about them go to it, not to the guardians.
    const later = requestIdOf(await ask(stranger, doc(child.idNumber, child.name)));
    expect(await answer(mum, later, 'accept')).toEqual({ ok: false, reason: 'not_found' });
    expect((await noticesOf(claimant, 'link_request')).length).toBe(1);
    expect(await answer(claimant, later, 'accept')).toEqual({ ok: true, outcome: 'accepted' });
    expect(await guardiansOf(child.personId)).toEqual([mum, dad, stranger].sort());
    // The person's own account accepted; the guardians from before are told of the new one.
    expect((await noticesOf(mum, 'guardian_added')).length).toBe(2);
    expect((await noticesOf(dad, 'guardian_added')).length).toBe(1);
  });
});

describe('a wrong name answers like an unregistered document', () => {
  it('same answer, same verifier call, for a registered and an unregistered document', async () => {
    const registered = await register(await newAccount(), '林已登', 'self');
    const unregistered = nextResident().idNumber;
    const asker = await newAccount();
    const verifier = countingVerifier();
    const mismatch: IdentityVerifier = {
      async verify(d) {
        verifier.calls.push(d.idNumber);
        return d.idNumber === unregistered ? 'mismatch' : 'match';
      },
    };
    const a = await ask(asker, doc(registered.idNumber, '林未登'), new Date(), mismatch);
    const b = await ask(asker, doc(unregistered, '林未登'), new Date(), mismatch);
    expect(a).toEqual({ ok: false, reason: 'verification_failed' });
    expect(b).toEqual(a);
    expect(verifier.calls).toEqual([registered.idNumber, unregistered]);
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.link_failed'), eq(auditLog.actorAccountId, asker)));
    expect(audits).toHaveLength(2);
    const dump = JSON.stringify(audits);
    for (const secret of [registered.idNumber, unregistered, '林未登', registered.name]) expect(dump).not.toContain(secret);
  });
});

describe('requests: cancel, expiry, one at a time', () => {
  it('only the requester cancels; an expired request does nothing and a new one may be made', async () => {
    const owner = await register(await newAccount(), '郑自有', 'self');
    const requester = await newAccount();
    const now = new Date();
    const first = requestIdOf(await ask(requester, doc(owner.idNumber, owner.name), now));
    expect(await ask(requester, doc(owner.idNumber, owner.name), now)).toEqual({ ok: false, reason: 'already_requested' });
    expect(await h.db.transaction((tx) => cancelLinkRequest(tx, { accountId: owner.accountId }, { requestId: first }, now))).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await h.db.transaction((tx) => cancelLinkRequest(tx, { accountId: requester }, { requestId: first }, now))).toEqual({
      ok: true,
    });
    expect(await answer(owner.accountId, first, 'accept', now)).toEqual({ ok: false, reason: 'already_answered' });

    const second = requestIdOf(await ask(requester, doc(owner.idNumber, owner.name), now));
    const after = new Date(now.getTime() + LINK_REQUEST_TTL_MS + 1000);
    expect(await answer(owner.accountId, second, 'accept', after)).toEqual({ ok: false, reason: 'expired' });
    await expectNothingReadable(requester, owner.personId);
    expect((await h.db.select().from(linkRequests).where(eq(linkRequests.id, second)))[0].status).toBe('expired');
    const third = requestIdOf(await ask(requester, doc(owner.idNumber, owner.name), new Date(after.getTime() + DAY)));
    expect(third).not.toBe(second);
  });
});

describe('failure limits', () => {
  it('an account is limited after too many failures, even with the right name next', async () => {
    const owner = await register(await newAccount(), '吴限次', 'self');
    const guesser = await newAccount();
    const now = new Date('2026-12-02T03:10:00Z');
    for (let i = 0; i < LINK_FAILURE_LIMITS.perAccount; i++)
      expect(await ask(guesser, doc(owner.idNumber, `吴猜${'一二三四五六七八九十'[i]}`), now)).toEqual({
        ok: false,
        reason: 'verification_failed',
      });
    expect(await ask(guesser, doc(owner.idNumber, owner.name), now)).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await countRows(linkRequests, eq(linkRequests.requesterAccountId, guesser))).toBe(0);
  });

  it('many failures from other accounts lock new attempts on the document, but not a request made before: it is accepted and linked', async () => {
    const owner = await register(await newAccount(), '黄受害', 'self');
    const legit = await newAccount();
    const now = new Date('2026-12-02T04:10:00Z');
    const requestId = requestIdOf(await ask(legit, doc(owner.idNumber, owner.name), now));
    // The legitimate requester's own typo does not count against the document (it has a live request).
    expect(await ask(legit, doc(owner.idNumber, '黄受灾'), now)).toEqual({ ok: false, reason: 'verification_failed' });

    for (let i = 0; i < LINK_FAILURE_LIMITS.perDocument; i++) {
      const attacker = await newAccount();
      expect(await ask(attacker, doc(owner.idNumber, '黄冒名'), now)).toEqual({ ok: false, reason: 'verification_failed' });
    }
    // A new account now gets rate_limited, whatever the name (no oracle while locked).
    const late = await newAccount();
    expect(await ask(late, doc(owner.idNumber, owner.name), now)).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await ask(late, doc(owner.idNumber, '黄冒名'), now)).toEqual({ ok: false, reason: 'rate_limited' });
    // The victim's consent still works: the request made before is accepted and the link exists.
    expect(await answer(owner.accountId, requestId, 'accept', now)).toEqual({ ok: true, outcome: 'accepted' });
    expect(await guardiansOf(owner.personId)).toEqual([legit]);
    expect((await personsOfAccount(h.db, legit)).map((p) => p.id)).toContain(owner.personId);
    // The lock is per window: an hour later a new family member may ask again.
    const nextHour = new Date(now.getTime() + 3_600_000);
    expect(await ask(late, doc(owner.idNumber, owner.name), nextHour)).toMatchObject({ ok: false, reason: 'link_requested' });
  });
});

describe('我的监护人: a person sees and removes their guardians', () => {
  async function guarded(name: string, birthDate?: string) {
    const self = await register(await newAccount(), name, 'self', 'M', birthDate);
    const g1 = await newAccount();
    const g2 = await newAccount();
    await h.db.insert(guardianships).values([
      { accountId: g1, personId: self.personId },
      { accountId: g2, personId: self.personId },
    ]);
    return { self, g1, g2 };
  }

  it('lists guardians with masked phones; the adult removes one (who is told), strangers and the removed guardian cannot', async () => {
    const { self, g1, g2 } = await guarded('冯成年', '1980-01-01');
    const now = new Date();
    const mine = await myGuardians(h.db, { accountId: self.accountId }, now);
    expect(mine).toMatchObject({
      adult: true,
      guardians: [{ phone: expect.stringMatching(/^173\*{4}\d{4}$/) }, { phone: expect.any(String) }],
    });
    expect(mine!.guardians.map((g) => g.accountId).sort()).toEqual([g1, g2].sort());
    // A guardian has no own person here: nothing to list, nothing to remove.
    expect(await myGuardians(h.db, { accountId: g1 }, now)).toBeNull();
    expect(await h.db.transaction((tx) => removeMyGuardian(tx, { accountId: g1 }, { guardianAccountId: g2 }, now))).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await guardiansOf(self.personId)).toEqual([g1, g2].sort());

    expect(await h.db.transaction((tx) => removeMyGuardian(tx, { accountId: self.accountId }, { guardianAccountId: g1 }, now))).toEqual({
      ok: true,
    });
    expect(await guardiansOf(self.personId)).toEqual([g2]);
    expect(await noticesOf(g1, 'guardian_removed')).toMatchObject([{ params: { how: 'removed', you: true } }]);
    expect(await noticesOf(g2, 'guardian_removed')).toMatchObject([{ params: { how: 'removed', you: false } }]);
    expect(
      await countRows(auditLog, and(eq(auditLog.action, 'guardianship.remove_by_person'), eq(auditLog.actorAccountId, self.accountId))),
    ).toBe(1);
  });

  it('an adult ends every guardianship at once; a minor with an account of their own may not', async () => {
    const adult = await guarded('褚成年', '1975-05-05');
    const now = new Date();
    expect(await h.db.transaction((tx) => endAllMyGuardianships(tx, { accountId: adult.self.accountId }, null, now))).toEqual({
      ok: true,
      ended: 2,
    });
    expect(await guardiansOf(adult.self.personId)).toEqual([]);
    for (const g of [adult.g1, adult.g2])
      expect(await noticesOf(g, 'guardian_removed')).toMatchObject([{ params: { how: 'ended_all', you: true } }]);
    expect(await h.db.transaction((tx) => endAllMyGuardianships(tx, { accountId: adult.self.accountId }, null, now))).toEqual({
      ok: false,
      reason: 'no_guardians',
    });

    const minor = await guarded('卫小童', '2014-06-06');
    expect((await myGuardians(h.db, { accountId: minor.self.accountId }, now))!.adult).toBe(false);
    expect(await h.db.transaction((tx) => endAllMyGuardianships(tx, { accountId: minor.self.accountId }, null, now))).toEqual({
      ok: false,
      reason: 'not_adult',
    });
    expect(
      await h.db.transaction((tx) => removeMyGuardian(tx, { accountId: minor.self.accountId }, { guardianAccountId: minor.g1 }, now)),
    ).toEqual({
      ok: false,
      reason: 'not_adult',
    });
    expect(await guardiansOf(minor.self.personId)).toEqual([minor.g1, minor.g2].sort());
  });

  it('a guardian who leaves tells the person’s own account and the other guardians', async () => {
    const { self, g1, g2 } = await guarded('蒋离开', '1990-09-09');
    expect(await stopGuarding(h.db, { accountId: g1 }, self.personId)).toEqual({ ok: true });
    expect(await noticesOf(self.accountId, 'guardian_removed')).toMatchObject([{ params: { how: 'left', mine: true, you: false } }]);
    expect(await noticesOf(g2, 'guardian_removed')).toMatchObject([{ params: { how: 'left', mine: false } }]);
    expect(await noticesOf(g1, 'guardian_removed')).toEqual([]);
  });
});

describe('换码: re-issuing a person’s code', () => {
  it('the person’s own account re-issues; its guardian may not; everybody else linked is told', async () => {
    const self = await register(await newAccount(), '沈本人', 'self');
    const g = await newAccount();
    await h.db.insert(guardianships).values({ accountId: g, personId: self.personId });
    expect(await reissueCodes(h.db, { accountId: g }, self.personId)).toEqual({ ok: false, reason: 'self_only' });
    expect(await noticesOf(self.accountId, 'code_reissued')).toEqual([]);
    expect(await reissueCodes(h.db, { accountId: self.accountId }, self.personId)).toEqual({ ok: true, generation: 2 });
    expect(await noticesOf(g, 'code_reissued')).toMatchObject([{ params: { person: '沈**' } }]);
    expect(await noticesOf(self.accountId, 'code_reissued')).toEqual([]);
  });

  it('a guardian re-issues for a person without an account; the other guardians are told', async () => {
    const g1 = await newAccount();
    const child = await register(g1, '韩小孩', 'family', 'F', '2018-08-08');
    const g2 = await newAccount();
    await h.db.insert(guardianships).values({ accountId: g2, personId: child.personId });
    expect(await reissueCodes(h.db, { accountId: g1 }, child.personId)).toEqual({ ok: true, generation: 2 });
    expect(await noticesOf(g2, 'code_reissued')).toHaveLength(1);
    expect(await reissueCodes(h.db, { accountId: await newAccount() }, child.personId)).toEqual({ ok: false, reason: 'not_found' });
  });
});
