import 'server-only';
import { getDatabase, type DatabaseHandle } from '@/db';
import { log } from '@/lib/log';

// The live channel (V10, dashboards): check-in events per venue, across app servers. Each process holds
// one LISTEN connection and fans events out in memory to its SSE subscribers. Writers NOTIFY after their
// transaction has committed, and routine events are coalesced to about one per venue per second so a
// busy door never waits on the channel; alerts (red code, fever) go out at once.

export const LIVE_CHANNEL = 'venue_live';
const COALESCE_MS = 1000;

/** What travels on the channel: never a name or ID in clear (masked name only, for alerts). */
export type LiveEvent =
  | { v: string; k: 'checkins'; n: number }
  | { v: string; k: 'alert'; red: boolean; fever: boolean; name: string; checker: string; method: string; temp: string | null; at: string };

type Listener = (event: LiveEvent) => void;

export type LiveBus = {
  subscribe(venueId: string, listener: Listener): Promise<() => void>;
  publish(event: LiveEvent): void;
};

/** Runs `run` after `ms` (the coalescing window's end). Tests pass their own to step through windows. */
export type LiveScheduler = (ms: number, run: () => void) => void;
const realScheduler: LiveScheduler = (ms, run) => void setTimeout(run, ms);

export function createLiveBus(
  handle: () => Promise<Pick<DatabaseHandle, 'notify' | 'listen'>>,
  schedule: LiveScheduler = realScheduler,
): LiveBus {
  const listeners = new Map<string, Set<Listener>>();
  const windows = new Map<string, { count: number }>();
  let listening: Promise<void> | null = null;

  const dispatch = (payload: string) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      return;
    }
    for (const listener of listeners.get(event.v) ?? []) listener(event);
  };

  const send = (event: LiveEvent) => {
    handle()
      .then((h) => h.notify(LIVE_CHANNEL, JSON.stringify(event)))
      .catch((error) => log().warn({ err: error }, 'live notify failed'));
  };

  return {
    async subscribe(venueId, listener) {
      listening ??= handle()
        .then((h) => h.listen(LIVE_CHANNEL, dispatch))
        .catch((error) => {
          listening = null;
          throw error;
        });
      await listening;
      const set = listeners.get(venueId) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(venueId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(venueId);
      };
    },
    publish(event) {
      if (event.k === 'alert') return send(event);
      // Leading edge at once, then at most one more per window carrying the count in between.
      const open = windows.get(event.v);
      if (open) {
        open.count += event.n;
        return;
      }
      send(event);
      const window = { count: 0 };
      windows.set(event.v, window);
      schedule(COALESCE_MS, () => {
        windows.delete(event.v);
        if (window.count > 0) send({ v: event.v, k: 'checkins', n: window.count });
      });
    },
  };
}

const g = globalThis as { __liveBus?: LiveBus };
/** The process's bus on the process's database. */
export function liveBus(): LiveBus {
  g.__liveBus ??= createLiveBus(getDatabase);
  return g.__liveBus;
}
