// SPEC T1, T5, L2 (#20 section 1): officials act inside their region through one capability table;
// grant/change/revoke at or below their own region; HEALTH_OFFICIAL_PHONES bootstraps only while no
// province official exists; reads need a reason and are audited in the read's own transaction; identity
// corrections apply from then on (past check-ins keep their facts).
process.env.TZ = 'UTC';

import { and, desc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { grantRole } from '@/db/queries/roles';
import { accountRoles, auditLog, checkins, identityCorrections, notices, persons, statusChanges } from '@/db/schema';
import { bootstrapOfficials, findDocumentForOfficial, setColourByOfficial } from '@/lib/health-code/officials';
import { correctionsForOfficial, requestIdentityCorrection, resolveIdentityCorrection } from '@/lib/identity/corrections';
import { decryptField } from '@/lib/identity/field-crypto';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { revocationEnds } from '@/lib/live/revocations';
import { authorizeOfficial, CAPABILITIES, type Capability, type Target } from '@/lib/officials/capabilities';
import { changeOfficialRegion, grantOfficial, officialsOfRegion, revokeOfficial } from '@/lib/officials/governance';
import { findVenueForOfficial, rebindAdminByOfficial } from '@/lib/venues/admin-replacement';
import { MIN, ms, type Actor, type Person, type Venue, createFixtures } from '../helpers/fixtures';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 60 * MIN);
const fx = createFixtures({
  phone: { prefix: '166', base: 3_400_000, step: 47 },
  ids: { fromYear: 1963, stepDays: 19 },
  venue: { namePrefix: '辖区测试场所', address: '天河北路 8 号', contactPhone: '020-88881234' },
  checker: { displayName: '门岗阿明', ip: '10.73.0.1', secret: 'test-secret-officials' },
  base: NOW,
});
const { h, fieldKeys, newPerson, newVenue, bindChecker, scan, record, stored, newActor, newAccount, newPhone } = fx;

const TIANHE = '440106';
const YUEXIU = '440104';
let province: Actor;
let tianhe: Actor;
let yuexiu: Actor;
let township: Actor;
let v: Venue;
let checker: Actor;
let visitor: Person;

async function official(region: string): Promise<Actor> {
  const a = await newActor();
  await grantRole(h.db, a.accountId, 'health_official', null, region);
  return a;
}
const count = async (table: typeof auditLog | typeof statusChanges | typeof accountRoles | typeof notices) =>
  Number(rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from ${table}`))[0].n);
async function snapshot() {
  return {
    audit: await count(auditLog),
    status: await count(statusChanges),
    roles: await count(accountRoles),
    notices: await count(notices),
  };
}
const ref = (p: { idNumber: string }) => ({ idType: 'cn_resident', idNumber: p.idNumber });

beforeAll(async () => {
  province = await official('44');
  tianhe = await official(TIANHE);
  yuexiu = await official(YUEXIU);
  township = await official(fx.township);
  v = await newVenue();
  checker = await bindChecker(v, ms(NOW, -60 * MIN));
  visitor = await newPerson('欧阳辖区');
  stored(await record(checker, scan(v.venueId, visitor.token, ms(NOW, -30 * MIN)), ms(NOW, -29 * MIN)));
});

describe('the capability table (one door: authorizeOfficial)', () => {
  const targetFor = (c: Capability): Target => {
    switch (CAPABILITIES[c].scope) {
      case 'person':
        return { person: visitor.personId };
      case 'venue':
        return { venue: v.venueId };
      case 'checkin':
        return { checkinTownship: fx.township };
      case 'case':
        return { caseRegion: fx.township };
      case 'official':
        return { official: township.accountId, region: fx.township };
      default:
        return { region: fx.township };
    }
  };

  it('every capability: another district is refused; the same district and the province are allowed; a township only where its level holds it', async () => {
    for (const c of Object.keys(CAPABILITIES) as Capability[]) {
      const target = targetFor(c);
      expect(await authorizeOfficial(h.db, yuexiu.accountId, c, target), `${c} 越秀区`).toEqual({ ok: false, reason: 'not_in_region' });
      expect(await authorizeOfficial(h.db, tianhe.accountId, c, target), `${c} 天河区`).toMatchObject({ ok: true });
      expect(await authorizeOfficial(h.db, province.accountId, c, target), `${c} 省`).toMatchObject({ ok: true });
      const forTownship = await authorizeOfficial(h.db, township.accountId, c, target);
      if (CAPABILITIES[c].levels.includes('township')) expect(forTownship, `${c} 街道`).toMatchObject({ ok: true });
      else expect(forTownship, `${c} 街道`).toEqual({ ok: false, reason: 'forbidden' });
      // A non-official is refused everything.
      expect(await authorizeOfficial(h.db, checker.accountId, c, target)).toEqual({ ok: false, reason: 'forbidden' });
    }
  });

  it('the services: another district is refused and nothing changes; 天河区 and the province get through', async () => {
    const before = await snapshot();
    const why = { reason: '协查密接' };
    expect(await findDocumentForOfficial(h.db, fieldKeys, yuexiu, ref(visitor), why)).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await setColourByOfficial(h.db, fieldKeys, yuexiu, { ...ref(visitor), colour: 'red', reason: 'close_contact' })).toEqual({
      ok: false,
      reason: 'not_in_region',
    });
    expect(await findVenueForOfficial(h.db, yuexiu, v.inviteCode)).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await rebindAdminByOfficial(h.db, yuexiu, { venueId: v.venueId, phone: newPhone(), reason: '手机丢失' })).toEqual({
      ok: false,
      reason: 'not_in_region',
    });
    expect(await grantOfficial(h.db, yuexiu, { phone: newPhone(), region: TIANHE, reason: '越权授予' })).toEqual({
      ok: false,
      reason: 'outside_region',
    });
    expect(await revokeOfficial(h.db, yuexiu, { accountId: tianhe.accountId, reason: '越权撤销' })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await snapshot()).toEqual(before);

    // Not even whether a document is registered: an unknown one answers the same.
    const unknown = { idType: 'cn_resident', idNumber: fx.newResidentId() };
    expect(await findDocumentForOfficial(h.db, fieldKeys, yuexiu, unknown, why)).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await findDocumentForOfficial(h.db, fieldKeys, tianhe, unknown, why)).toEqual({ ok: false, reason: 'not_in_region' });
    expect(await findDocumentForOfficial(h.db, fieldKeys, province, unknown, why)).toMatchObject({ ok: true, person: null });

    for (const who of [tianhe, province]) {
      expect(await findDocumentForOfficial(h.db, fieldKeys, who, ref(visitor), why)).toMatchObject({
        ok: true,
        person: { id: visitor.personId, name: '欧阳辖区' },
      });
      expect(await findVenueForOfficial(h.db, who, v.inviteCode)).toMatchObject({ ok: true, venue: { id: v.venueId } });
    }
    expect(await setColourByOfficial(h.db, fieldKeys, tianhe, { ...ref(visitor), colour: 'green' })).toEqual({ ok: true });
  });

  it('a person is inside only through their check-ins (or a case) there: a registered person who never checked in is in no district', async () => {
    const p = await newPerson('司马过客');
    expect(await authorizeOfficial(h.db, tianhe.accountId, 'lookup', { person: p.personId })).toEqual({
      ok: false,
      reason: 'not_in_region',
    });
    expect(await authorizeOfficial(h.db, province.accountId, 'lookup', { person: p.personId })).toMatchObject({ ok: true });
    stored(await record(checker, scan(v.venueId, p.token, ms(NOW, -20 * MIN)), ms(NOW, -19 * MIN)));
    expect(await authorizeOfficial(h.db, tianhe.accountId, 'lookup', { person: p.personId })).toMatchObject({ ok: true });
    expect(await authorizeOfficial(h.db, yuexiu.accountId, 'lookup', { person: p.personId })).toEqual({
      ok: false,
      reason: 'not_in_region',
    });
  });
});

describe('reads need a reason and are audited in their own transaction (SPEC T5)', () => {
  const lookups = async () => (await h.db.select().from(auditLog).where(eq(auditLog.action, 'official.lookup'))).length;

  it('no reason, too short, too long, an unknown case: refused, nothing read, nothing written', async () => {
    const before = await snapshot();
    for (const [stated, reason] of [
      [{}, 'why_required'],
      [{ reason: '查' }, 'why_required'],
      [{ reason: '   ' }, 'why_required'],
      [{ reason: '查'.repeat(201) }, 'why_too_long'],
      [{ caseId: '00000000-0000-4000-8000-000000000000' }, 'unknown_case'],
      [{ caseId: 'not-a-case' }, 'unknown_case'],
    ] as const) {
      expect(await findDocumentForOfficial(h.db, fieldKeys, tianhe, ref(visitor), stated), JSON.stringify(stated)).toEqual({
        ok: false,
        reason,
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a read writes its audit row with the reason; when the read’s transaction fails, there is no row', async () => {
    const before = await lookups();
    const found = await findDocumentForOfficial(h.db, fieldKeys, tianhe, ref(visitor), { reason: '核实行程' });
    expect(found).toMatchObject({ ok: true });
    const [row] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'official.lookup'), eq(auditLog.actorAccountId, tianhe.accountId)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row).toMatchObject({ targetType: 'person', targetId: visitor.personId, reason: '核实行程', details: { found: true } });
    expect(await lookups()).toBe(before + 1);

    // The read inside a transaction that then fails: its row goes with it.
    await expect(
      h.db.transaction(async (tx) => {
        const read = await findDocumentForOfficial(tx as never, fieldKeys, tianhe, ref(visitor), { reason: '核实行程' });
        expect(read).toMatchObject({ ok: true });
        throw new Error('the request failed after the read');
      }),
    ).rejects.toThrow('the request failed after the read');
    expect(await lookups()).toBe(before + 1);
  });
});

describe('grant, change, revoke (at or below the own region, never oneself)', () => {
  it('a district official grants inside the district only; a township official grants nothing', async () => {
    const before = await snapshot();
    for (const region of ['44', '4401', YUEXIU, '440104001']) {
      expect(await grantOfficial(h.db, tianhe, { phone: newPhone(), region, reason: '越级授予' }), region).toEqual({
        ok: false,
        reason: 'outside_region',
      });
    }
    expect(await grantOfficial(h.db, tianhe, { phone: newPhone(), region: '4401069', reason: '不存在的区域' })).toEqual({
      ok: false,
      reason: 'invalid_region',
    });
    expect(await grantOfficial(h.db, tianhe, { phone: newPhone(), region: fx.township, reason: '' })).toEqual({
      ok: false,
      reason: 'why_required',
    });
    expect(await grantOfficial(h.db, township, { phone: newPhone(), region: fx.township, reason: '街道授予' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await snapshot()).toEqual(before);

    const phone = newPhone();
    const granted = await grantOfficial(h.db, tianhe, { phone, region: fx.township, reason: '街道防疫专员' });
    expect(granted).toMatchObject({ ok: true });
    if (!granted.ok) throw new Error('unreachable');
    const [role] = await h.db.select().from(accountRoles).where(eq(accountRoles.accountId, granted.accountId));
    expect(role).toMatchObject({ regionCode: fx.township, grantedByAccountId: tianhe.accountId });
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'role.grant'), eq(auditLog.targetId, granted.accountId)));
    expect(audit).toMatchObject({ actorAccountId: tianhe.accountId, reason: '街道防疫专员', details: { region: fx.township } });
    const [notice] = await h.db.select().from(notices).where(eq(notices.accountId, granted.accountId));
    expect(notice).toMatchObject({ kind: 'official_role', params: { change: 'granted', region: fx.township } });
    // Their own role: never.
    expect(await grantOfficial(h.db, tianhe, { phone: await phoneOf(tianhe.accountId), region: fx.township, reason: '自己' })).toEqual({
      ok: false,
      reason: 'own_role',
    });
  });

  it('change and revoke: inside the region, not oneself, not anyone above; the list shows the region’s officials', async () => {
    const target = await official(fx.township);
    const before = await snapshot();
    expect(await changeOfficialRegion(h.db, tianhe, { accountId: tianhe.accountId, region: fx.township, reason: '调整' })).toEqual({
      ok: false,
      reason: 'own_role',
    });
    expect(await revokeOfficial(h.db, tianhe, { accountId: province.accountId, reason: '越级撤销' })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await changeOfficialRegion(h.db, tianhe, { accountId: target.accountId, region: YUEXIU, reason: '调走' })).toEqual({
      ok: false,
      reason: 'outside_region',
    });
    expect(await revokeOfficial(h.db, township, { accountId: target.accountId, reason: '街道撤销' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await snapshot()).toEqual(before);

    const listed = await officialsOfRegion(h.db, tianhe);
    const regions = listed!.officials.map((o) => o.regionCode);
    expect(regions.every((r) => r.startsWith(TIANHE))).toBe(true);
    expect(listed!.officials.map((o) => o.accountId)).toEqual(expect.arrayContaining([tianhe.accountId, target.accountId]));
    expect(listed!.officials.map((o) => o.accountId)).not.toContain(yuexiu.accountId);
    expect(await officialsOfRegion(h.db, township)).toBeNull();

    expect(await changeOfficialRegion(h.db, tianhe, { accountId: target.accountId, region: TIANHE, reason: '升为区级' })).toEqual({
      ok: true,
    });
    expect((await h.db.select().from(accountRoles).where(eq(accountRoles.accountId, target.accountId)))[0].regionCode).toBe(TIANHE);
    expect(await revokeOfficial(h.db, tianhe, { accountId: target.accountId, reason: '调离岗位' })).toEqual({ ok: true });
    expect(await h.db.select().from(accountRoles).where(eq(accountRoles.accountId, target.accountId))).toEqual([]);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.targetId, target.accountId));
    expect(audit.map((a) => [a.action, a.reason])).toEqual(
      expect.arrayContaining([
        ['role.change', '升为区级'],
        ['role.revoke', '调离岗位'],
      ]),
    );
    const told = await h.db.select().from(notices).where(eq(notices.accountId, target.accountId));
    expect(told.map((n) => (n.params as { change: string }).change).sort()).toEqual(['changed', 'revoked']);
    // Revoked: refused at once, everywhere.
    expect(await authorizeOfficial(h.db, target.accountId, 'lookup', { none: true })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await findDocumentForOfficial(h.db, fieldKeys, target, ref(visitor), { reason: '还想查' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
  });

  it('the revocation announced on the live channel ends the ops topic, not the account’s venue topics', () => {
    const revocation = { a: 'acc', r: 'official' as const, why: 'official_revoked' as const };
    expect(revocationEnds({ accountId: 'acc', sessionId: 's', role: 'official' }, revocation)).toBe(true);
    expect(revocationEnds({ accountId: 'acc', sessionId: 's', venueId: 'v', role: 'admin' }, revocation)).toBe(false);
    expect(revocationEnds({ accountId: 'other', sessionId: 's', role: 'official' }, revocation)).toBe(false);
  });
});

describe('bootstrap from HEALTH_OFFICIAL_PHONES', () => {
  it('grants the province level only while no province official exists; a revoked one does not come back', async () => {
    // This database has a province official already (the suite's): a configured phone is not granted.
    const phone = newPhone();
    expect(await bootstrapOfficials(h.db, [phone])).toEqual({ granted: 0 });
    // Revoked by another province official, the configured one stays revoked at the next start.
    const configured = await official('44');
    expect(await revokeOfficial(h.db, province, { accountId: configured.accountId, reason: '人员调整' })).toEqual({ ok: true });
    expect(await bootstrapOfficials(h.db, [await phoneOf(configured.accountId)])).toEqual({ granted: 0 });
    expect(await authorizeOfficial(h.db, configured.accountId, 'lookup', { none: true })).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('on a database without one, grants the configured phones at province level, once', async () => {
    await h.db
      .transaction(async (tx) => {
        // The same rule inside one transaction that first removes every province official (rolled back after).
        await tx.delete(accountRoles).where(eq(accountRoles.regionCode, '44'));
        const phones = [newPhone(), newPhone()];
        expect(await bootstrapOfficials(tx as never, [phones[0], 'not-a-phone', phones[1]])).toEqual({ granted: 2 });
        expect(await bootstrapOfficials(tx as never, [newPhone()])).toEqual({ granted: 0 });
        const rows = await tx.select().from(accountRoles).where(eq(accountRoles.regionCode, '44'));
        expect(rows).toHaveLength(2);
        tx.rollback();
      })
      .catch((error: Error) => {
        if (!/rollback/i.test(error.message)) throw error;
      });
  });
});

describe('identity correction (SPEC L2): applies from then on', () => {
  let holder: { accountId: string; personId: string };
  beforeAll(async () => {
    const accountId = await newAccount();
    const r = await registerPerson(
      h.db,
      { keys: fieldKeys, verifier: devIdentityVerifier },
      { accountId },
      {
        idType: 'passport',
        idNumber: 'E7654321',
        nationality: 'GBR',
        gender: 'F',
        birthDate: '1990-05-05',
        name: 'SMYTH ANNE',
        relation: 'self',
      },
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    holder = { accountId, personId: r.personId };
  });

  it('the resident asks (one pending at a time; not for a mainland ID); only an official of the region sees and applies it', async () => {
    const { token } = await fx.freshCodes(holder);
    const before = stored(await record(checker, scan(v.venueId, token, ms(NOW, -10 * MIN)), ms(NOW, -9 * MIN)));

    expect(
      await requestIdentityCorrection(h.db, { accountId: visitor.accountId }, { personId: visitor.personId, note: '生日有误' }),
    ).toEqual({
      ok: false,
      reason: 'not_correctable',
    });
    expect(
      await requestIdentityCorrection(h.db, { accountId: visitor.accountId }, { personId: holder.personId, note: '生日有误' }),
    ).toEqual({
      ok: false,
      reason: 'not_found',
    });
    const asked = await requestIdentityCorrection(h.db, holder, { personId: holder.personId, note: '姓名拼写应为 SMITH ANNE，性别应为男' });
    expect(asked).toMatchObject({ ok: true });
    if (!asked.ok) throw new Error('unreachable');
    expect(await requestIdentityCorrection(h.db, holder, { personId: holder.personId, note: '再次申请' })).toEqual({
      ok: false,
      reason: 'already_pending',
    });

    expect((await correctionsForOfficial(h.db, yuexiu))!.requests.map((r) => r.id)).not.toContain(asked.id);
    expect((await correctionsForOfficial(h.db, tianhe))!.requests.map((r) => r.id)).toContain(asked.id);
    expect(await correctionsForOfficial(h.db, township)).toBeNull();

    const snap = await snapshot();
    const apply = { requestId: asked.id, decision: 'apply' as const, name: 'smith anne', gender: 'M', reason: '核对护照原件' };
    expect(await resolveIdentityCorrection(h.db, fieldKeys, yuexiu, apply)).toEqual({ ok: false, reason: 'not_found' });
    expect(await resolveIdentityCorrection(h.db, fieldKeys, tianhe, { ...apply, reason: '' })).toEqual({
      ok: false,
      reason: 'why_required',
    });
    expect(await resolveIdentityCorrection(h.db, fieldKeys, tianhe, { ...apply, name: '史密斯' })).toMatchObject({
      ok: false,
      reason: 'name_invalid',
    });
    expect(await resolveIdentityCorrection(h.db, fieldKeys, tianhe, { ...apply, birthDate: '2999-01-01' })).toMatchObject({
      ok: false,
      reason: 'birth_date_invalid',
    });
    expect(await snapshot()).toEqual(snap);

    expect(await resolveIdentityCorrection(h.db, fieldKeys, tianhe, apply)).toEqual({
      ok: true,
      status: 'applied',
      changed: ['name', 'gender'],
    });
    expect(await resolveIdentityCorrection(h.db, fieldKeys, tianhe, apply)).toEqual({ ok: false, reason: 'not_pending' });
    const [p] = await h.db.select().from(persons).where(eq(persons.id, holder.personId));
    expect({ name: decryptField(fieldKeys, p.nameEnc), masked: p.nameMasked, gender: p.gender, birthDate: p.birthDate }).toEqual({
      name: 'SMITH ANNE',
      masked: 'S**** ****',
      gender: 'M',
      birthDate: '1990-05-05',
    });
    const [row] = await h.db.select().from(identityCorrections).where(eq(identityCorrections.id, asked.id));
    expect(row).toMatchObject({
      status: 'applied',
      resolvedByAccountId: tianhe.accountId,
      reason: '核对护照原件',
      changedFields: ['name', 'gender'],
    });
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.correct'), eq(auditLog.targetId, holder.personId)));
    expect(audit).toMatchObject({ actorAccountId: tianhe.accountId, reason: '核对护照原件' });
    expect(JSON.stringify(audit)).not.toContain('SMITH');
    const [notice] = await h.db
      .select()
      .from(notices)
      .where(and(eq(notices.accountId, holder.accountId), eq(notices.kind, 'identity_corrected')));
    expect(notice.params).toMatchObject({ outcome: 'applied', person: 'S**** ****' });

    // From then on: a new check-in stores the corrected gender; the earlier one keeps what it stored.
    const { token: again } = await fx.freshCodes(holder);
    const after = stored(await record(checker, scan(v.venueId, again, ms(NOW, -5 * MIN)), ms(NOW, -4 * MIN)));
    const genderOf = async (id: string) => (await h.db.select({ g: checkins.gender }).from(checkins).where(eq(checkins.id, id)))[0].g;
    expect(await genderOf(before.id)).toBe('F');
    expect(await genderOf(after.id)).toBe('M');
  });
});

async function phoneOf(accountId: string) {
  const rows = rowsOf<{ phone: string }>(await h.db.execute(sql`select phone from accounts where id = ${accountId}::uuid`));
  return rows[0].phone;
}
