import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grantRole } from '@/db/queries/roles';
import { issueQuickToken, openQuickToken, quickCheckin, visitDetails } from '@/lib/checkin/quick-checkin';
import { signQuickToken, signVisitTicket, verifyQuickToken, verifyVisitTicket } from '@/lib/checkin/quick-token';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { removeChecker, unbindSelf } from '@/lib/venues/checkers';
import { createFixtures, expectNoClearIdentity, ms, T, type Actor, type Person } from '../helpers/fixtures';

const {
  h,
  fieldKeys,
  at,
  freshCodes,
  scan,
  record,
  newAccount,
  newActor,
  register,
  newPerson,
  newVenue,
  bindChecker,
  openBindingId,
  door,
  countCheckins,
  rowsOfVenue,
  stored,
} = createFixtures({
  phone: { prefix: '137', base: 4_000_000, step: 53 },
  ids: { fromYear: 1958, stepDays: 13 },
  venue: { namePrefix: '向日葵测试场所', address: '中山五路 2 号', contactPhone: '020-88887777' },
  checker: { displayName: '门岗小李', ip: '10.61.0.1', secret: 'test-secret-quick' },
});
/** The sunflower code's keys in these tests. */
const keys = codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64'));
const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 6).toString('base64'));

/** An account with its own person and two family members it guards. */
async function newFamily() {
  const self = await newPerson('欧阳修远', 'M', '1980-04-04');
  const child = await register(self.accountId, '司马相如', 'family', 'M', '2015-06-01');
  const grandma = await register(self.accountId, '上官婉儿', 'family', 'F', '1940-02-02');
  return { accountId: self.accountId, actor: { accountId: self.accountId }, people: [self, child, grandma] };
}

// ---- the sunflower flow -------------------------------------------------------------------------
async function issue(c: Actor, venueId: string, now: Date) {
  const r = await issueQuickToken(h.db, keys, c, venueId, now);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.token;
}
async function open(token: string, now: Date) {
  const r = await openQuickToken(h.db, keys, token, now);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.ticket;
}
/** The checker shows the code at `issued`; the visitor opens it at `opened`. */
async function ticketFor(c: Actor, venueId: string, issued: Date, opened = issued) {
  return open(await issue(c, venueId, issued), opened);
}

async function scanAtDoor(c: Actor, venueId: string, p: Person, effective: Date, now = effective) {
  return record(c, scan(venueId, (await freshCodes(p)).token, effective), now);
}

describe('issuing the sunflower code', () => {
  it('gives an active checker a signed token naming venue and checker, valid for 10 minutes', async () => {
    const { v, c } = await door();
    const r = await issueQuickToken(h.db, keys, c, v.venueId, at(0));
    expect(r).toEqual({ ok: true, token: expect.stringMatching(/^Q1\./), expiresAt: at(10).toISOString() });
    if (!r.ok) throw new Error('refused');
    expect(verifyQuickToken(keys, r.token, at(0).getTime())).toEqual({
      ok: true,
      claims: { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: T.getTime(), entranceId: null },
    });
    // Signed with the given keys only.
    expect(verifyQuickToken(otherKeys, r.token, at(0).getTime())).toEqual({ ok: false, reason: 'invalid' });
  });

  it('is refused to a pending, removed, unbound, other-venue or non checker, and to the venue admin', async () => {
    const v = await newVenue('approval');
    const pending = await bindChecker(v, at(-60));
    const { v: v2, c: elsewhere } = await door();
    const removed = await bindChecker(v2, at(-120));
    expect(await removeChecker(h.db, v2.admin, await openBindingId(v2.venueId, removed.accountId), at(-30))).toEqual({ ok: true });
    const left = await bindChecker(v2, at(-120));
    expect(await unbindSelf(h.db, left, v2.venueId, at(-10))).toEqual({ ok: true });
    for (const [actor, venueId] of [
      [pending, v.venueId],
      [elsewhere, v.venueId],
      [v.admin, v.venueId],
      [await newActor(), v.venueId],
      [removed, v2.venueId],
      [left, v2.venueId],
    ] as const) {
      expect(await issueQuickToken(h.db, keys, actor, venueId, at(0))).toEqual({ ok: false, reason: 'not_checker' });
    }
    // A venue id that does not exist.
    expect(await issueQuickToken(h.db, keys, elsewhere, randomUUID(), at(0))).toEqual({ ok: false, reason: 'not_checker' });
    // The removed checker could issue before the removal.
    expect(await issueQuickToken(h.db, keys, removed, v2.venueId, at(-31))).toMatchObject({ ok: true });
  });
});

describe('opening /q/<token>', () => {
  it('gives a visit ticket dated at the opening, and the venue name', async () => {
    const { v, c } = await door();
    const token = await issue(c, v.venueId, at(0));
    const r = await openQuickToken(h.db, keys, token, at(9));
    expect(r).toEqual({ ok: true, ticket: expect.stringMatching(/^Q1\./), venueName: v.name });
    if (!r.ok) throw new Error('refused');
    expect(verifyVisitTicket(keys, r.ticket, at(18).getTime())).toEqual({
      ok: true,
      claims: { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: at(9).getTime(), entranceId: null },
    });
    // The ticket is not a token.
    expect(await openQuickToken(h.db, keys, r.ticket, at(9))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts up to 10 minutes after issue; then expired', async () => {
    const { v, c } = await door();
    const token = await issue(c, v.venueId, at(0));
    expect(await openQuickToken(h.db, keys, token, at(10))).toMatchObject({ ok: true });
    expect(await openQuickToken(h.db, keys, token, ms(at(10), 1))).toEqual({ ok: false, reason: 'expired' });
    expect(await openQuickToken(h.db, keys, token, at(60))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a forged or tampered token as invalid', async () => {
    const { v, c } = await door();
    const forged = signQuickToken(otherKeys, { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: T.getTime() });
    expect(await openQuickToken(h.db, keys, forged, at(0))).toEqual({ ok: false, reason: 'invalid' });
    const token = await issue(c, v.venueId, at(0));
    const i = token.length - 20;
    const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    for (const text of [tampered, token.slice(0, -1), '', 'https://example.com/q/abc', `${token}x`]) {
      expect(await openQuickToken(h.db, keys, text, at(0)), text).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a token whose checker was removed (or left) after issuing as inactive', async () => {
    const { v, c } = await door();
    const token = await issue(c, v.venueId, at(0));
    expect(await openQuickToken(h.db, keys, token, at(1))).toMatchObject({ ok: true });
    expect(await removeChecker(h.db, v.admin, await openBindingId(v.venueId, c.accountId), at(2))).toEqual({ ok: true });
    expect(await openQuickToken(h.db, keys, token, at(2))).toEqual({ ok: false, reason: 'inactive' });
    expect(await openQuickToken(h.db, keys, token, at(3))).toEqual({ ok: false, reason: 'inactive' });

    const other = await door();
    const token2 = await issue(other.c, other.v.venueId, at(0));
    expect(await unbindSelf(h.db, other.c, other.v.venueId, at(5))).toEqual({ ok: true });
    expect(await openQuickToken(h.db, keys, token2, at(6))).toEqual({ ok: false, reason: 'inactive' });
  });

  it('refuses a validly signed token naming a non-checker or an unknown venue as inactive', async () => {
    const { v } = await door();
    const stranger = await newActor();
    const pendingVenue = await newVenue('approval');
    const pending = await bindChecker(pendingVenue, at(-10));
    for (const claims of [
      { venueId: v.venueId, checkerAccountId: stranger.accountId },
      { venueId: v.venueId, checkerAccountId: v.admin.accountId },
      { venueId: pendingVenue.venueId, checkerAccountId: pending.accountId },
      { venueId: randomUUID(), checkerAccountId: stranger.accountId },
    ]) {
      const token = signQuickToken(keys, { ...claims, issuedAt: T.getTime() });
      expect(await openQuickToken(h.db, keys, token, at(0))).toEqual({ ok: false, reason: 'inactive' });
    }
  });
});

describe('the visit page', () => {
  it('lists self first, then the family the account guards, for a valid ticket only', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const ticket = await ticketFor(c, v.venueId, at(0), at(5));
    const r = await visitDetails(h.db, keys, fam.actor, ticket, at(14));
    expect(r).toMatchObject({ ok: true, venueName: v.name });
    if (!r.ok) throw new Error('refused');
    expect(r.persons.map((p) => [p.id, p.relation])).toEqual([
      [fam.people[0].personId, 'self'],
      [fam.people[1].personId, 'family'],
      [fam.people[2].personId, 'family'],
    ]);
    expect(await visitDetails(h.db, keys, fam.actor, ticket, ms(at(15), 1))).toEqual({ ok: false, reason: 'expired' });
    expect(await visitDetails(h.db, keys, fam.actor, await issue(c, v.venueId, at(0)), at(1))).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('confirming a quick check-in', () => {
  it('records a family of three: method quick, no temperature, no fever, attributed to the code’s checker', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const ticket = await ticketFor(c, v.venueId, at(0), at(1));
    const ids = fam.people.map((p) => p.personId);
    const now = ms(at(1), 30_000);
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: ids }, now);
    expect(r).toMatchObject({ ok: true, venueId: v.venueId, checkerAccountId: c.accountId });
    if (!r.ok) throw new Error('refused');
    expect(r.outcomes).toEqual([
      { personId: ids[0], nameMasked: '欧***', result: { ok: true, colour: 'green', reason: null, duplicate: false } },
      { personId: ids[1], nameMasked: '司***', result: { ok: true, colour: 'green', reason: null, duplicate: false } },
      { personId: ids[2], nameMasked: '上***', result: { ok: true, colour: 'green', reason: null, duplicate: false } },
    ]);
    expect(r.results).toHaveLength(3);
    for (const res of r.results) {
      expect(res).toMatchObject({
        ok: true,
        duplicate: false,
        record: {
          venueId: v.venueId,
          method: 'quick',
          temperature: null,
          fever: false,
          colour: 'green',
          supersedes: null,
          effectiveAt: at(1).toISOString(),
        },
      });
    }
    expect(r.results.map((res) => stored(res).person)).toEqual([
      { nameMasked: '欧***', gender: 'M', ageBand: '40-49' },
      { nameMasked: '司***', gender: 'M', ageBand: '0-17' },
      { nameMasked: '上***', gender: 'F', ageBand: '60+' },
    ]);
    const rows = await rowsOfVenue(v.venueId);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.personId))).toEqual(new Set(ids));
    for (const row of rows) {
      expect(row).toMatchObject({
        checkerAccountId: c.accountId,
        method: 'quick',
        temperatureDeci: null,
        fever: false,
        colour: 'green',
        effectiveAt: at(1),
        receivedAt: now,
      });
    }
    // Not the visitor's account.
    expect(rows.some((row) => row.checkerAccountId === fam.accountId)).toBe(false);
    expectNoClearIdentity(r, ...fam.people);
  });

  it('a family member alone, or any subset, may be checked in; repeated ids count once', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const ticket = await ticketFor(c, v.venueId, at(0));
    const child = fam.people[1].personId;
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [child, child] }, at(1));
    expect(r).toMatchObject({ ok: true, outcomes: [{ personId: child, result: { ok: true, duplicate: false } }] });
    expect(await countCheckins(v.venueId)).toBe(1);
  });

  it("refuses a person the account does not guard as not_yours, storing nothing (not even the account's own)", async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const neighbour = await newPerson('张三丰');
    // The neighbour's own account guards a family member the first family does not.
    const neighboursChild = await register(neighbour.accountId, '张无忌', 'family');
    const ticket = await ticketFor(c, v.venueId, at(0));
    for (const personIds of [
      [neighbour.personId],
      [fam.people[0].personId, neighbour.personId],
      [fam.people[0].personId, fam.people[1].personId, neighboursChild.personId],
      [randomUUID()],
      ['not-a-uuid'],
    ]) {
      const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds }, at(1));
      expect(r, JSON.stringify(personIds)).toEqual({ ok: false, reason: 'not_yours' });
      expectNoClearIdentity(r, neighbour, neighboursChild);
    }
    // A guardian of one family is not the guardian of another's self person.
    expect(
      await quickCheckin(h.db, keys, { accountId: neighbour.accountId }, { ticket, personIds: [fam.people[1].personId] }, at(1)),
    ).toEqual({ ok: false, reason: 'not_yours' });
    expect(await countCheckins(v.venueId)).toBe(0);
  });

  it('refuses an empty or malformed selection as no_person', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const ticket = await ticketFor(c, v.venueId, at(0));
    for (const personIds of [[], undefined, null, 'x', fam.people[0].personId, [42], [null], {}]) {
      expect(await quickCheckin(h.db, keys, fam.actor, { ticket, personIds }, at(1)), JSON.stringify(personIds)).toEqual({
        ok: false,
        reason: 'no_person',
      });
    }
    expect(await countCheckins(v.venueId)).toBe(0);
  });

  it('accepts the ticket up to 10 minutes after opening; then expired, storing nothing', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const me = [fam.people[0].personId];
    // Issued at 10:00, opened at 10:09 (the token's own 10 minutes are over when confirming).
    const ticket = await ticketFor(c, v.venueId, at(0), at(9));
    expect(await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: me }, ms(at(19), 1))).toEqual({ ok: false, reason: 'expired' });
    expect(await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: me }, at(60))).toEqual({ ok: false, reason: 'expired' });
    expect(await countCheckins(v.venueId)).toBe(0);
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: me }, at(19));
    expect(r).toMatchObject({ ok: true, outcomes: [{ result: { ok: true, duplicate: false } }] });
    expect(await countCheckins(v.venueId)).toBe(1);
  });

  it('refuses a token in place of a ticket, a forged ticket, a tampered one, as invalid', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const me = [fam.people[0].personId];
    const token = await issue(c, v.venueId, at(0));
    const forged = signVisitTicket(otherKeys, { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: T.getTime() });
    const ticket = await open(token, at(0));
    const tampered = ticket.slice(0, 10) + (ticket[10] === 'A' ? 'B' : 'A') + ticket.slice(11);
    for (const t of [token, forged, tampered, '', 'Q1.']) {
      expect(await quickCheckin(h.db, keys, fam.actor, { ticket: t, personIds: me }, at(1))).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await countCheckins(v.venueId)).toBe(0);
  });

  it('confirming the same ticket twice answers the second time with duplicates and stores nothing new', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const ids = fam.people.map((p) => p.personId);
    const ticket = await ticketFor(c, v.venueId, at(0), at(1));
    const first = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: ids.slice(0, 2) }, at(2));
    if (!first.ok) throw new Error('refused');
    const before = await rowsOfVenue(v.venueId);
    expect(before).toHaveLength(2);

    const second = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: ids.slice(0, 2) }, at(3));
    if (!second.ok) throw new Error('refused');
    expect(second.outcomes.map((o) => o.result)).toEqual([
      { ok: true, colour: 'green', reason: null, duplicate: true },
      { ok: true, colour: 'green', reason: null, duplicate: true },
    ]);
    expect(second.results).toEqual(first.results.map((res) => ({ ...res, duplicate: true })));
    expect(await rowsOfVenue(v.venueId)).toEqual(before);

    // Adding the third person later on the same ticket: the first two are resends, the third is new.
    const third = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [ids[2], ids[1], ids[0]] }, at(4));
    if (!third.ok) throw new Error('refused');
    expect(third.outcomes.map((o) => [o.personId, o.result.ok && o.result.duplicate])).toEqual([
      [ids[2], false],
      [ids[1], true],
      [ids[0], true],
    ]);
    expect(await countCheckins(v.venueId)).toBe(3);

    // Concurrent double tap: still exactly once per person.
    const ticket2 = await ticketFor(c, v.venueId, at(60), at(60));
    const taps = await Promise.all(
      [1, 2, 3].map(() => quickCheckin(h.db, keys, fam.actor, { ticket: ticket2, personIds: ids }, ms(at(60), 5000))),
    );
    expect(await countCheckins(v.venueId)).toBe(6);
    const fresh = taps.flatMap((t) => (t.ok ? t.outcomes : [])).filter((o) => o.result.ok && !o.result.duplicate);
    expect(fresh).toHaveLength(3);
    for (const t of taps) expect(t.ok && t.outcomes.every((o) => o.result.ok)).toBe(true);
  });

  it('records a red person with colour red and the reason, and shows the colour now', async () => {
    const official = await newAccount();
    await grantRole(h.db, official, 'health_official', null);
    const { v, c } = await door();
    const fam = await newFamily();
    const [self, child] = fam.people;
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: official },
        { idType: 'cn_resident', idNumber: child.idNumber, colour: 'red', reason: 'close_contact' },
        at(-60),
      ),
    ).toEqual({ ok: true });
    const ticket = await ticketFor(c, v.venueId, at(0));
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [self.personId, child.personId] }, at(1));
    if (!r.ok) throw new Error('refused');
    expect(r.outcomes).toEqual([
      { personId: self.personId, nameMasked: '欧***', result: { ok: true, colour: 'green', reason: null, duplicate: false } },
      { personId: child.personId, nameMasked: '司***', result: { ok: true, colour: 'red', reason: 'close_contact', duplicate: false } },
    ]);
    expect(stored(r.results[1])).toMatchObject({ colour: 'red', redReason: 'close_contact', fever: false, temperature: null });
    const rows = await rowsOfVenue(v.venueId);
    expect(rows.find((row) => row.personId === child.personId)).toMatchObject({ colour: 'red', redReason: 'close_contact' });
    expect(rows.find((row) => row.personId === self.personId)).toMatchObject({ colour: 'green', redReason: null });
    expectNoClearIdentity(r, ...fam.people);

    // Turned green afterwards: a resend keeps the stored red record, and shows the colour now.
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: official },
        { idType: 'cn_resident', idNumber: child.idNumber, colour: 'green' },
        at(5),
      ),
    ).toEqual({ ok: true });
    const again = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [child.personId] }, at(6));
    if (!again.ok) throw new Error('refused');
    expect(again.outcomes[0].result).toEqual({ ok: true, colour: 'green', reason: null, duplicate: true });
    expect(stored(again.results[0])).toMatchObject({ colour: 'red', redReason: 'close_contact' });
  });

  it('supersedes like with like: a quick check-in 10 minutes after a scan is counted by the scan; a scan after a quick supersedes it', async () => {
    const { v, c } = await door();
    const c2 = await bindChecker(v, at(-60));
    const fam = await newFamily();
    const [self, child, grandma] = fam.people;

    // A scan at 10:00 by another checker; a quick check-in opened at 10:10.
    const S = stored(await scanAtDoor(c2, v.venueId, self, at(0)));
    const ticket = await ticketFor(c, v.venueId, at(10), at(10));
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [self.personId, child.personId] }, ms(at(10), 20_000));
    if (!r.ok) throw new Error('refused');
    const Q = stored(r.results[0]);
    // The visitor's own confirmation never supersedes what a checker measured: it is stored already superseded by it.
    expect(Q).toMatchObject({ method: 'quick', supersedes: null, storedSuperseded: true });
    expect((await rowsOfVenue(v.venueId)).find((row) => row.id === Q.id)!.supersededById).toBe(S.id);
    expect(stored(r.results[1]).supersedes).toBeNull();

    // A scan 25 minutes after the first supersedes the measured record, like with like.
    const S2 = stored(await scanAtDoor(c, v.venueId, self, at(25)));
    expect(S2.supersedes).toBe(S.id);

    // More than 30 minutes later: a separate visit.
    const later = await quickCheckin(
      h.db,
      keys,
      fam.actor,
      { ticket: await ticketFor(c, v.venueId, at(56), at(56)), personIds: [self.personId] },
      at(56),
    );
    if (!later.ok) throw new Error('refused');
    expect(stored(later.results[0]).supersedes).toBeNull();

    // A scan arriving late, from before a quick check-in, takes the quick check-in's place (measured beats quick).
    const Qg = await quickCheckin(
      h.db,
      keys,
      fam.actor,
      { ticket: await ticketFor(c, v.venueId, at(100), at(100)), personIds: [grandma.personId] },
      at(100),
    );
    if (!Qg.ok) throw new Error('refused');
    const lateScan = stored(await scanAtDoor(c2, v.venueId, grandma, at(90), at(110)));
    expect(lateScan).toMatchObject({ supersedes: stored(Qg.results[0]).id, storedSuperseded: false, late: true });
    const rows = await rowsOfVenue(v.venueId);
    expect(rows.find((row) => row.id === lateScan.id)!.supersededById).toBeNull();
    expect(rows.find((row) => row.supersedesId === stored(Qg.results[0]).id)!.id).toBe(lateScan.id);
  });

  it('a ticket opened again a little later is a new visit: new records supersede the first ones', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    const me = [fam.people[0].personId];
    const token = await issue(c, v.venueId, at(0));
    const first = await quickCheckin(h.db, keys, fam.actor, { ticket: await open(token, at(1)), personIds: me }, at(1));
    const second = await quickCheckin(h.db, keys, fam.actor, { ticket: await open(token, at(2)), personIds: me }, at(2));
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(second.outcomes[0].result).toMatchObject({ ok: true, duplicate: false });
    expect(stored(second.results[0]).supersedes).toBe(stored(first.results[0]).id);
    expect(await countCheckins(v.venueId)).toBe(2);
  });

  it('refuses the records when the ticket names a checker not active at the opening time (signed directly)', async () => {
    const v = await newVenue();
    const stranger = await newActor();
    const fam = await newFamily();
    const ticket = signVisitTicket(keys, { venueId: v.venueId, checkerAccountId: stranger.accountId, issuedAt: T.getTime() });
    const r = await quickCheckin(h.db, keys, fam.actor, { ticket, personIds: [fam.people[0].personId] }, at(1));
    expect(r).toMatchObject({ ok: true, outcomes: [{ result: { ok: false, reason: 'not_checker' } }] });
    expect(await countCheckins(v.venueId)).toBe(0);
  });
});
