import 'server-only';
import { liveBus, type LiveBus } from '@/lib/live/bus';
import type { CheckinResult } from './record-checkin';

/** After a record has been committed: tell the venue's live screens; a red code or a fever is an alert. */
export function publishRecorded(result: CheckinResult, checkerAccountId: string, bus: LiveBus = liveBus()) {
  if (!result.ok || result.duplicate) return;
  const r = result.record;
  bus.publish({ v: r.venueId, k: 'checkins', n: 1 });
  if (r.colour === 'red' || r.fever) {
    bus.publish({
      v: r.venueId,
      k: 'alert',
      red: r.colour === 'red',
      fever: r.fever,
      name: r.person.nameMasked,
      checker: checkerAccountId,
      method: r.method,
      temp: r.temperature,
      at: r.effectiveAt,
    });
  }
}
