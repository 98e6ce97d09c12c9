import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { listRegionChildren } from '@/lib/regions/divisions';
import { allFeversOfMyVenue, checkerTotalsOfMyVenue, venueDashboard } from '@/lib/stats/venue-dashboard';
import { bindByInviteCode } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { registerVenue } from '@/lib/venues/register-venue';
import { createTestDb } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

const account = async (n: number) => ({ accountId: (await findOrCreateAccount(h.db, `1365000${String(n).padStart(4, '0')}`)).id });

describe('who may read a venue statistics', () => {
  it('only the venue admin, and only their own venue: never a checker, another admin or a resident', async () => {
    const township = listRegionChildren('440106')[0].code;
    const [adminA, adminB, checker, resident] = [await account(1), await account(2), await account(3), await account(4)];
    const a = await registerVenue(h.db, adminA, {
      name: '统计甲',
      type: 'retail',
      townshipCode: township,
      address: '一号',
      contactPhone: '020-88889999',
    });
    const b = await registerVenue(h.db, adminB, {
      name: '统计乙',
      type: 'office',
      townshipCode: township,
      address: '二号',
      contactPhone: '020-88889998',
    });
    if (!a.ok || !b.ok) throw new Error('venues');
    await setBindingMode(h.db, adminA, 'immediate');
    expect(
      await bindByInviteCode(h.db, checker, { inviteCode: a.inviteCode, displayName: '门岗' }, '10.0.0.1', {
        perAccountPerHour: 100,
        perIpPerHour: 100,
        secret: 's',
      }),
    ).toMatchObject({ ok: true });

    expect((await venueDashboard(h.db, adminA))?.venue.id).toBe(a.venueId);
    expect((await venueDashboard(h.db, adminB))?.venue.id).toBe(b.venueId);
    for (const who of [checker, resident]) {
      expect(await venueDashboard(h.db, who)).toBeNull();
      expect(await allFeversOfMyVenue(h.db, who)).toBeNull();
      expect(await checkerTotalsOfMyVenue(h.db, who)).toBeNull();
    }
    // The venue is taken from the actor, never from the request: admin B cannot ask for venue A.
    expect((await venueDashboard(h.db, adminB, { day: '2026-11-27' }))?.venue.name).toBe('统计乙');
  });
});
