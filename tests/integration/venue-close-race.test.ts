// SPEC L3 under concurrency: a checker binding by the invite code while the venue closes. The closure
// holds the venue row FOR UPDATE; a binding reads it FOR SHARE inside its transaction, so it waits for the
// closure and is then refused — no open binding is ever left at a closed venue. Needs truly concurrent
// connections: PostgreSQL server only.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { checkerBindings } from '@/db/schema';
import { bindByInviteCode } from '@/lib/venues/checkers';
import { closeVenue } from '@/lib/venues/close-venue';
import { createFixtures } from '../helpers/fixtures';

const onServer = Boolean(process.env.DATABASE_URL);
if (!onServer) console.info('venue close race skipped: it needs the PostgreSQL server (set DATABASE_URL)');

const f = createFixtures({
  phone: { prefix: '159', base: 5_500_000, step: 71 },
  ids: { fromYear: 1975, stepDays: 31 },
  venue: { namePrefix: '并发关闭场所', address: '越秀南路 3 号', contactPhone: '020-83330000' },
  checker: { displayName: '并发门岗', ip: '10.92.0.1', secret: 'test-secret-venue-close-race' },
  base: new Date(Math.floor(Date.now() / 1000) * 1000),
});
const { h, at } = f;

/** Backends of this database waiting for a row or advisory lock right now (polled, never a fixed sleep). */
async function someoneWaits() {
  for (let i = 0; i < 3000; i++) {
    const [{ n }] = rowsOf<{ n: number }>(
      await h.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      ),
    );
    if (n >= 1) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('nobody ever waited for a lock');
}

describe.skipIf(!onServer)('closing while a checker binds (PostgreSQL server)', () => {
  it('a binding that reached the venue row waits for the closure, then is refused venue_closed', async () => {
    const v = await f.newVenue();
    const checker = await f.newActor();
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    // The closure's transaction, paused after it locked the row (as asVenueAdmin does), then closing it.
    const closing = h.db.transaction(async (tx) => {
      await tx.execute(sql`select id from venues where id = ${v.venueId}::uuid for update`);
      held();
      await opened;
      await tx.execute(
        sql`update venues set closed_at = now(), closed_by_account_id = ${v.admin.accountId}::uuid where id = ${v.venueId}::uuid`,
      );
    });
    await holding;
    const binding = bindByInviteCode(
      h.db,
      checker,
      { inviteCode: v.inviteCode, displayName: '并发门岗' },
      '10.92.0.2',
      f.inviteLimits,
      at(1),
    );
    try {
      await someoneWaits();
    } finally {
      open();
    }
    await closing;
    expect(await binding).toEqual({ ok: false, reason: 'venue_closed' });
    const open_ = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), isNull(checkerBindings.unboundAt)));
    expect(open_).toEqual([]);
  });

  it('a binding committed first is ended by the closure that follows', async () => {
    const v = await f.newVenue();
    const checker = await f.newActor();
    const results = await Promise.all([
      bindByInviteCode(h.db, checker, { inviteCode: v.inviteCode, displayName: '并发门岗' }, '10.92.0.2', f.inviteLimits, at(1)),
      closeVenue(h.db, v.admin, { confirmName: v.name }, at(1)),
    ]);
    expect(results[1].ok).toBe(true);
    // Whichever came first, nothing stays open at the closed venue.
    const open_ = await h.db
      .select()
      .from(checkerBindings)
      .where(and(eq(checkerBindings.venueId, v.venueId), isNull(checkerBindings.unboundAt)));
    expect(open_).toEqual([]);
  });
});
