import 'server-only';
import { z } from 'zod';
import type { Db } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { statusAt } from '@/db/queries/health-status';
import { isUuid } from '@/lib/utils/uuid';
import { ageBandOn } from './age-band';
import { venueClosedFor } from './venue-closed';
import { doorResolver, type CheckinActor } from './record';
import type { CheckinPayload } from './record-checkin';

export type DoorPreview =
  | {
      ok: true;
      person: { nameMasked: string; gender: 'M' | 'F'; ageBand: string };
      status: { colour: 'green' | 'red'; reason: string | null };
    }
  | { ok: false; reason: string; retryAfterSeconds?: number };

/** What the scanner sends to see a code before the temperature. */
export const previewInput = z.object({
  venueId: z.string().refine(isUuid),
  code: z.string().max(300),
  method: z.enum(['scan', 'typed']),
});

/**
 * What the checker sees right after a scan, before entering a temperature: masked name, gender, age
 * band and the colour now (V9, V13). Nothing is recorded here.
 */
export async function previewAtDoor(db: Db, actor: CheckinActor, body: unknown, now = new Date()): Promise<DoorPreview> {
  const input = previewInput.safeParse(body);
  if (!input.success) return { ok: false, reason: 'invalid' };
  const { venueId, code, method } = input.data;
  if (!(await wasActiveCheckerAt(db, venueId, actor.accountId, now)))
    return { ok: false, reason: (await venueClosedFor(db, venueId, actor.accountId)) ? 'venue_closed' : 'not_checker' };
  const resolved = await doorResolver(db, actor, venueId, now)({ method, code } as CheckinPayload);
  if (!resolved.ok)
    return {
      ok: false,
      reason: resolved.reason,
      retryAfterSeconds: 'retryAfterSeconds' in resolved ? (resolved.retryAfterSeconds as number) : undefined,
    };
  const status = await statusAt(db, resolved.person.idHash, now);
  return {
    ok: true,
    person: { nameMasked: resolved.person.nameMasked, gender: resolved.person.gender, ageBand: ageBandOn(resolved.person.birthDate, now) },
    status: { colour: status.colour, reason: status.reason },
  };
}
