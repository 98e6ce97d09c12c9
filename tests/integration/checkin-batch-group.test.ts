// The batch's group write (recordCheckins: one look-up, one statement) answers every record exactly as
// recordCheckin one by one does: the same statuses, reasons, duplicates, colours and supersede links.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statusChanges } from '@/db/schema';
import { recordCheckin, recordCheckins } from '@/lib/checkin/record';
import type { CheckinPayload, CheckinResult } from '@/lib/checkin/record-checkin';
import { answerShape, createFixtures, MIN, ms } from '../helpers/fixtures';

const { h, at, newPerson, door, scan, typed, linksOfVenue } = createFixtures({
  phone: { prefix: '136', base: 7_100_000, step: 41 },
  ids: { fromYear: 1962, stepDays: 17 },
  venue: { namePrefix: '批量写入测试场所', address: '中山路 9 号', contactPhone: '020-55556666' },
  checker: { displayName: '门岗小赵', ip: '10.71.0.1', secret: 'test-secret-batch-group' },
});

describe('batch group write', () => {
  it('answers a mixed batch exactly as one-by-one recording does, and stores the same links', async () => {
    const now = at(0);
    const [p1, p2, red, reissued] = [await newPerson('陈一'), await newPerson('陈二'), await newPerson('陈三'), await newPerson('陈四')];
    await h.db.insert(statusChanges).values({
      idHash: (await h.db.query.persons.findFirst({ where: (p, { eq }) => eq(p.id, red.personId) }))!.idHash,
      colour: 'red',
      reason: 'close_contact',
      validFrom: at(-60),
      source: 'official',
    });
    const broken = reissued.token.slice(0, -2) + (reissued.token.endsWith('AA') ? 'BB' : 'AA');

    // The same batch for two venues: A through the group path, B one by one. Client ids differ per venue.
    const build = (venueId: string, otherVenueId: string, resendOf: CheckinPayload): CheckinPayload[] => {
      const dup = scan(venueId, p2.token, at(-5));
      return [
        scan(venueId, p1.token, at(-20)),
        scan(venueId, p1.token, at(-10), { temperature: '37.8' }), // corrects the one above (fever)
        scan(venueId, p1.token, at(-15)), // late, between the two: stored superseded
        dup,
        { ...dup }, // the same record twice in one batch
        { ...dup, temperature: '36.9' }, // same client id, other payload: conflict
        resendOf, // stored before the batch: a duplicate
        scan(venueId, red.token, at(-3)), // red at the time
        scan(venueId, broken, at(-2)), // broken signature
        scan(venueId, 'https://example.com/not-ours', at(-1)),
        scan(otherVenueId, p2.token, at(-2)), // not a checker there
        scan(venueId, p2.token, ms(now, 60 * MIN)), // the future
        scan(venueId, p2.token, at(-4), { temperature: '45.0' }),
        { ...scan(venueId, p2.token, at(-4)), clientId: 'not-a-uuid' },
        typed(venueId, p1.shortCode, at(-2)),
        scan(venueId, reissued.token, at(-1)),
      ];
    };
    const a = await door();
    const b = await door();
    const resendA = scan(a.v.venueId, p2.token, at(-30));
    const resendB = { ...resendA, clientId: randomUUID(), venueId: b.v.venueId };
    expect((await recordCheckin(h.db, a.c, resendA, now)).ok).toBe(true);
    expect((await recordCheckin(h.db, b.c, resendB, now)).ok).toBe(true);

    const batchA = build(a.v.venueId, b.v.venueId, resendA);
    const batchB = build(b.v.venueId, a.v.venueId, resendB);
    const grouped = await recordCheckins(
      h.db,
      batchA.map((payload) => ({ actor: a.c, payload, now })),
    );
    const single: CheckinResult[] = [];
    for (const p of batchB) single.push(await recordCheckin(h.db, b.c, p, now));

    expect(grouped.map(answerShape)).toEqual(single.map(answerShape));
    expect(grouped.map((r) => (r.ok ? (r.duplicate ? 'dup' : 'new') : r.reason))).toEqual([
      'new',
      'new',
      'new',
      'new',
      'dup',
      'conflict',
      'dup',
      'new',
      'bad_signature',
      'not_ours',
      'not_checker',
      'future',
      'temperature_too_high',
      'invalid',
      'new',
      'new',
    ]);
    // The stored rows and their links have the same shape in both venues.
    expect(await linksOfVenue(a.v.venueId)).toEqual(await linksOfVenue(b.v.venueId));
  });
});
