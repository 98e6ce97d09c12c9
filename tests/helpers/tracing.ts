// Visits and officials for the tests that read them back (流调 cases, their export, the statistics): a
// record at the door, a quick check-in through its token, an official of a region. Bound to a file's fixtures.
import { grantRole } from '@/db/queries/roles';
import { codeKeysFromSeed, type CodeKeys } from '@/lib/health-code/token';
import { ms, type Actor, type Fixtures, type Person, type Venue } from './fixtures';

export type DoorOptions = { receivedAt?: Date; entranceId?: string; typed?: boolean };

export function createTracingHelpers(fx: Fixtures, quickKeys: CodeKeys = codeKeysFromSeed(Buffer.alloc(32, 9).toString('base64'))) {
  const { h } = fx;

  /** `p` checked in by checker `c` at `v`: scanned (or typed, by short code), received a second later unless said. */
  async function door(c: Actor, v: Venue, p: Person, effective: Date, temperature = '36.5', opts: DoorOptions = {}) {
    const payload = (opts.typed ? fx.typed : fx.scan)(v.venueId, opts.typed ? p.shortCode : p.token, effective, {
      temperature,
      ...(opts.entranceId ? { entranceId: opts.entranceId } : {}),
    });
    return fx.stored(await fx.record(c, payload, opts.receivedAt ?? ms(effective, 1000)));
  }

  /** `p` checked in through checker `c`'s quick token issued at `issued` (opened 10 s, submitted 30 s later). */
  async function quick(c: Actor, v: Venue, p: Person, issued: Date) {
    const [stored] = await fx.quickStored(quickKeys, c, v, { accountId: p.accountId }, [p], issued);
    return stored;
  }

  /** A new account made a health official of `region` (GB/T 2260 code). */
  async function official(region: string): Promise<Actor> {
    const a = await fx.newActor();
    await grantRole(h.db, a.accountId, 'health_official', null, region);
    return a;
  }

  return { door, quick, official };
}
