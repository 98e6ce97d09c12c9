import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { pgErrorCode } from '@/db/errors';
import { drainAll } from '@/db/queries/stats-rollups';
import { checkins, guardianships, persons, personCodeHistory, statusChanges } from '@/db/schema';
import { reissueCodes } from '@/lib/health-code/personal-codes';
import { createFixtures } from '../helpers/fixtures';

// Migration 0018 (SPEC L2, L4, L5): the only change a check-in ever takes is losing its link to a person,
// only inside the owner's functions; erasing a person takes their colour history and ended codes with them,
// and only once nobody is linked to them any more.
const { h, door, newPerson, register, newActor, scan, record, stored, at } = createFixtures({
  phone: { prefix: '147', base: 1_900_000, step: 37 },
  ids: { fromYear: 1961, stepDays: 11 },
});

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    return pgErrorCode(error) ?? String(error);
  }
}

describe('the append-only guard after migration 0018', () => {
  it('refuses every change of a check-in outside the owner’s functions, the link cut included', async () => {
    const { v, c } = await door();
    const p = await newPerson('司马相如');
    const r = stored(await record(c, scan(v.venueId, p.token, at(0)), at(1)));
    const id = r.id;
    expect(await reissueCodes(h.db, { accountId: p.accountId }, p.personId)).toMatchObject({ ok: true });
    const attempts = {
      cut: () => h.db.execute(sql`update checkins set person_id = null where id = ${id}::uuid`),
      // With the function's flag set by hand, anything but the cut is still refused.
      tamper: () =>
        h.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('venues.cut_person_link', 'on', true)`);
          await tx.execute(sql`update checkins set person_id = null, temperature_deci = 380 where id = ${id}::uuid`);
        }),
      delete: () => h.db.execute(sql`delete from checkins where id = ${id}::uuid`),
      history: () => h.db.execute(sql`delete from person_code_history`),
    };
    for (const [name, run] of Object.entries(attempts))
      expect([name, await refusal(run)]).toEqual([name, expect.stringMatching(/^(P0001|42501)$/)]);
    const [row] = await h.db.select({ personId: checkins.personId }).from(checkins).where(eq(checkins.id, id));
    expect(row.personId).toBe(p.personId);
  });

  it('erases a person nobody is linked to: history, colours and display log go, records stay without the link', async () => {
    const { v, c } = await door();
    const p = await newPerson('诸葛孔明');
    const guardian = await newActor();
    const theirs = stored(await record(c, scan(v.venueId, p.token, at(-5)), at(-4)));
    await h.db.insert(guardianships).values({ accountId: guardian.accountId, personId: p.personId });
    expect(await reissueCodes(h.db, { accountId: p.accountId }, p.personId)).toMatchObject({ ok: true });
    const [{ idHash }] = await h.db.select({ idHash: persons.idHash }).from(persons).where(eq(persons.id, p.personId));
    await h.db.insert(statusChanges).values({ idHash, colour: 'red', reason: 'close_contact', validFrom: at(-60), source: 'official' });
    const other = await register(guardian.accountId, '王小二', 'family');
    const mine = stored(await record(c, scan(v.venueId, other.token, at(0)), at(1)));
    const erase = () => h.db.execute(sql`select person_erase(${p.personId}::uuid) as cut`);

    // Still somebody's own person, and guarded: refused, nothing changed.
    expect(await refusal(erase)).toBe('55006');
    await h.db.update(persons).set({ selfAccountId: null }).where(eq(persons.id, p.personId));
    expect(await refusal(erase)).toBe('55006');
    await h.db.delete(guardianships).where(and(eq(guardianships.personId, p.personId), eq(guardianships.accountId, guardian.accountId)));
    // Counted first: a record still queued for the rollups keeps its link until drained (migration 0019).
    await drainAll(h.db);

    const [{ cut }] = rowsOf<{ cut: number }>(await h.db.execute(sql`select person_erase(${p.personId}::uuid) as cut`));
    expect(Number(cut)).toBe(1);
    const [gone] = await h.db.select().from(checkins).where(eq(checkins.id, theirs.id));
    expect(gone).toMatchObject({ personId: null, temperatureDeci: 365, gender: 'M' });
    expect(await h.db.select().from(persons).where(eq(persons.id, p.personId))).toEqual([]);
    expect(await h.db.select().from(personCodeHistory).where(eq(personCodeHistory.personId, p.personId))).toEqual([]);
    expect(await h.db.select().from(statusChanges).where(eq(statusChanges.idHash, idHash))).toEqual([]);
    // Somebody else's record keeps its link.
    const [kept] = await h.db.select({ personId: checkins.personId }).from(checkins).where(eq(checkins.id, mine.id));
    expect(kept.personId).toBe(other.personId);
  });
});
