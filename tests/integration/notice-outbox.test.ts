// The door's outbox (issue #18): a fever or a red code stored at the door leaves one outbox row in the
// door's transaction and nothing else; the notice job makes exactly one venue notice per record, masked.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { fanOutNoticeOutbox } from '@/db/queries/notices';
import { createFixtures, DAY, MIN } from '../helpers/fixtures';

const { h, at, newPerson, door, scan, record, stored } = createFixtures({
  phone: { prefix: '137', base: 6_300_000, step: 41 },
  ids: { fromYear: 1971, stepDays: 19 },
  venue: { namePrefix: '通知场所', address: '中山五路 3 号', contactPhone: '020-83331111' },
  checker: { displayName: '门岗小李', ip: '10.78.0.1', secret: 'test-secret-notices' },
});

const outboxOf = async (venueId: string) =>
  rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from notice_outbox where venue_id = ${venueId}::uuid`))[0].n;
const noticesOf = async (venueId: string) =>
  rowsOf<{ kind: string; audience: string; params: Record<string, unknown>; source: string }>(
    await h.db.execute(sql`select kind, audience, params, source from notices where venue_id = ${venueId}::uuid order by happened_at`),
  );

describe('the door’s outbox', () => {
  it('a normal temperature leaves nothing; a fever leaves one row, turned into one masked venue notice exactly once', async () => {
    const { v, c } = await door();
    const p = await newPerson('司徒嘉怡', 'F');
    stored(await record(c, scan(v.venueId, p.token, at(0), { temperature: '36.5' }), at(0)));
    expect(await outboxOf(v.venueId)).toBe(0);
    const fever = stored(await record(c, scan(v.venueId, p.token, at(1), { temperature: '38.6' }), at(1)));
    expect(await outboxOf(v.venueId)).toBe(1);

    const first = await h.db.transaction((tx) => fanOutNoticeOutbox(tx, 500, at(2)));
    expect(first.made).toContainEqual({ venueId: v.venueId, kind: 'fever' });
    const again = await h.db.transaction((tx) => fanOutNoticeOutbox(tx, 500, at(3)));
    expect(again.made.filter((m) => m.venueId === v.venueId)).toEqual([]);
    expect(await outboxOf(v.venueId)).toBe(0);

    const rows = await noticesOf(v.venueId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'fever', audience: 'venue_admin', source: `checkin:${fever.id}` });
    expect(rows[0].params).toMatchObject({ temp: '38.6', fever: true, red: false, checker: '门岗小李' });
    // Masked as on the dashboard: never the name in clear.
    expect(JSON.stringify(rows[0].params)).not.toContain('司徒嘉怡');
    expect(String(rows[0].params.name)).toMatch(/\*/);
  });

  it('a record the job reaches more than a day after it happened makes no notice (history, a device back after days)', async () => {
    const { v, c } = await door();
    const p = await newPerson();
    stored(await record(c, scan(v.venueId, p.token, at(0), { temperature: '38.9' }), at(0)));
    await h.db.transaction((tx) => fanOutNoticeOutbox(tx, 500, new Date(at(0).getTime() + DAY + MIN)));
    expect(await outboxOf(v.venueId)).toBe(0);
    expect(await noticesOf(v.venueId)).toEqual([]);
  });
});
