// Single check-ins that arrive together are written as a group (recordCheckin: one look-up and one
// statement for scans of several checkers at several venues) and each is answered exactly as recordCheckin alone
// answers it alone: statuses, reasons, duplicates, conflicts, colours and supersede links.
import { describe, expect, it } from 'vitest';
import { revokeSession } from '@/db/queries/accounts';
import { statusChanges } from '@/db/schema';
import { newSession } from '../helpers/in-process';
import { recordCheckin } from '@/lib/checkin/record';
import type { CheckinPayload, CheckinResult } from '@/lib/checkin/record-checkin';
import { answerShape, createFixtures, MIN, ms } from '../helpers/fixtures';

const { h, at, newPerson, door, bindChecker, scan, typed, rowsOfVenue, linksOfVenue } = createFixtures({
  phone: { prefix: '136', base: 7_300_000, step: 43 },
  ids: { fromYear: 1958, stepDays: 19 },
  venue: { namePrefix: '合并写入测试场所', address: '越秀路 12 号', contactPhone: '020-55557777' },
  checker: { displayName: '门岗小钟', ip: '10.73.0.1', secret: 'test-secret-door-writer' },
});

describe('grouped single check-ins', () => {
  it('answer scans of several checkers sent at once exactly as one by one, and store the same links', async () => {
    const now = at(0);
    const [p1, p2, red] = [await newPerson('钟一'), await newPerson('钟二'), await newPerson('钟三')];
    const redHash = (await h.db.query.persons.findFirst({ where: (p, { eq }) => eq(p.id, red.personId) }))!.idHash;
    await h.db
      .insert(statusChanges)
      .values({ idHash: redHash, colour: 'red', reason: 'close_contact', validFrom: at(-60), source: 'official' });

    // Two sets of two venues with one checker each, plus a second checker at the first venue: set A goes
    // through the group (all at once), set B one by one, with the same records.
    const build = async () => {
      const one = await door();
      const two = await door();
      const second = await bindChecker(one.v, at(-2 * 24 * 60));
      const resend = scan(one.v.venueId, p2.token, at(-30));
      expect((await recordCheckin(h.db, one.c, resend, now)).ok).toBe(true);
      const dup = scan(two.v.venueId, p2.token, at(-5));
      const calls: [typeof one.c, CheckinPayload][] = [
        [one.c, scan(one.v.venueId, p1.token, at(-20))],
        [second, scan(one.v.venueId, p1.token, at(-10), { temperature: '37.8' })], // another checker corrects it (fever)
        [one.c, scan(one.v.venueId, p1.token, at(-15))], // late, between the two: stored superseded
        [two.c, dup],
        [two.c, { ...dup }], // the same record twice at once
        [two.c, { ...dup, temperature: '36.9' }], // same client id, other payload: conflict
        [one.c, resend], // stored before: a duplicate
        [second, { ...resend }], // the same record sent by another account: conflict
        [two.c, scan(two.v.venueId, red.token, at(-3))], // red at the time
        [two.c, scan(one.v.venueId, p1.token, at(-2))], // not a checker there
        [one.c, scan(one.v.venueId, p2.token, ms(now, 60 * MIN))], // the future
        // typed: the direct path, at once with the group (another person: two paths at once have no order)
        [one.c, typed(one.v.venueId, p2.shortCode, at(-1))],
        [two.c, scan(two.v.venueId, p1.token.slice(0, -2) + (p1.token.endsWith('AA') ? 'BB' : 'AA'), at(-1))], // broken signature
      ];
      return { venues: [one.v.venueId, two.v.venueId], calls };
    };
    const a = await build();
    const b = await build();

    const grouped = await Promise.all(a.calls.map(([actor, p]) => recordCheckin(h.db, actor, p, now)));
    const single: CheckinResult[] = [];
    for (const [actor, p] of b.calls) single.push(await recordCheckin(h.db, actor, p, now));

    expect(grouped.map(answerShape)).toEqual(single.map(answerShape));
    expect(grouped.map((r) => (r.ok ? (r.duplicate ? 'dup' : 'new') : r.reason))).toEqual([
      'new',
      'new',
      'new',
      'new',
      'dup',
      'conflict',
      'dup',
      'conflict',
      'new',
      'not_checker',
      'future',
      'new',
      'bad_signature',
    ]);
    for (const k of [0, 1]) expect(await linksOfVenue(a.venues[k])).toEqual(await linksOfVenue(b.venues[k]));
    // The grouped records are attributed to the checker who sent each of them.
    const rowsA = await rowsOfVenue(a.venues[0]);
    expect(new Set(rowsA.map((r) => r.checkerAccountId)).size).toBe(2);
  });

  it('checks the session row in the same look-up: a revoked, unknown or borrowed session writes nothing', async () => {
    const now = at(0);
    const p = await newPerson('钟四');
    const one = await door();
    const other = await door();
    const live = await newSession(h.db, one.c.accountId);
    const revoked = await newSession(h.db, one.c.accountId);
    await revokeSession(h.db, revoked, at(-1));
    const othersSession = await newSession(h.db, other.c.accountId);
    const send = (sessionId: string, payload = scan(one.v.venueId, p.token, at(-1))) =>
      recordCheckin(h.db, { ...one.c, sessionId }, payload, now);

    const answers = await Promise.all([
      send(live),
      send(revoked),
      send('6f1c2d3e-0000-4000-8000-00000000dead'),
      send(othersSession), // a real session, of another account than the one claimed
      send(revoked, { ...scan(one.v.venueId, p.token, at(-1)), clientId: 'not-a-uuid' }), // refused before the look-up: still 401
    ]);
    expect(answers.map((r) => (r.ok ? 'new' : r.reason))).toEqual([
      'new',
      'unauthenticated',
      'unauthenticated',
      'unauthenticated',
      'unauthenticated',
    ]);
    expect(await rowsOfVenue(one.v.venueId)).toHaveLength(1);
  });
});
