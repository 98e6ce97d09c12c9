import 'server-only';
import { getDatabase, type DatabaseHandle } from '@/db';
import { LIVE_CHANNEL } from '@/db/live-channel';
import { log } from '@/lib/log';
import { parseRevocation, REVOKED_CHANNEL, revocationEnds, type Revocation, type StreamScope } from './revocations';

// The live channel (V10, dashboards): check-in events per venue, across app servers. Each process holds
// one LISTEN connection and fans events out in memory to its SSE subscribers. Writers NOTIFY after their
// transaction has committed, and routine events are coalesced to about one per venue per second so a
// busy door never waits on the channel; alerts (red code, fever) go out at once. Revocations (a session,
// role or binding taken away: lib/live/revocations.ts) come in on a second channel of the same LISTEN
// connection and end the streams that depended on it (lib/live/stream.ts).

export { LIVE_CHANNEL };
const COALESCE_MS = 1000;

/** What the app publishes on the channel: never a name or ID in clear (masked name only, for alerts). */
export type PublishedEvent =
  | { v: string; k: 'checkins'; n: number }
  | { v: string; k: 'alert'; red: boolean; fever: boolean; name: string; checker: string; method: string; temp: string | null; at: string };
/**
 * What subscribers hear: the above, and a notice made or read (db/queries/notices.ts, pg_notify on commit):
 * for a venue's admin (`v`), or for one account (`a`: never a phone), heard through subscribeAccount.
 */
export type LiveEvent = PublishedEvent | { v: string; k: 'notice' };
export type AccountEvent = { a: string; k: 'notice' };

type Listener = (event: LiveEvent) => void;

export type LiveBus = {
  subscribe(venueId: string, listener: Listener): Promise<() => void>;
  publish(event: PublishedEvent): void;
};

export type AccountWatch = {
  /** One account's events (its inbox changed), on the venue events' channel. */
  subscribeAccount(accountId: string, listener: (event: AccountEvent) => void): Promise<() => void>;
};

export type RevocationWatch = {
  /**
   * Calls `listener` with every revocation that takes away something a stream of `scope` depends on.
   * Resolves once this process is listening: a revocation committed after that is heard.
   */
  onRevoked(scope: StreamScope, listener: (revocation: Revocation) => void): Promise<() => void>;
};

/** Runs `run` after `ms` (the coalescing window's end). Tests pass their own to step through windows. */
export type LiveScheduler = (ms: number, run: () => void) => void;
const realScheduler: LiveScheduler = (ms, run) => void setTimeout(run, ms);

export function createLiveBus(
  handle: () => Promise<Pick<DatabaseHandle, 'notify' | 'listen'>>,
  schedule: LiveScheduler = realScheduler,
): LiveBus & RevocationWatch & AccountWatch {
  const listeners = new Map<string, Set<Listener>>();
  const windows = new Map<string, { count: number }>();
  let listening: Promise<void> | null = null;
  const watchers = new Map<string, Set<{ scope: StreamScope; listener: (revocation: Revocation) => void }>>();
  let listeningRevoked: Promise<void> | null = null;

  const dispatch = (payload: string) => {
    let event: LiveEvent | AccountEvent;
    try {
      event = JSON.parse(payload) as LiveEvent | AccountEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null) return;
    // Account events are keyed apart from venue ids, so one can never be heard as the other.
    const key = 'v' in event ? event.v : 'a' in event && typeof event.a === 'string' ? `account:${event.a}` : null;
    if (key === null) return;
    for (const listener of listeners.get(key) ?? []) listener(event as LiveEvent);
  };

  const dispatchRevoked = (payload: string) => {
    const revocation = parseRevocation(payload);
    if (!revocation) return;
    for (const watcher of [...(watchers.get(revocation.a) ?? [])]) {
      if (revocationEnds(watcher.scope, revocation)) watcher.listener(revocation);
    }
  };

  const send = (event: PublishedEvent) => {
    handle()
      .then((h) => h.notify(LIVE_CHANNEL, JSON.stringify(event)))
      .catch((error) => log().warn({ err: error }, 'live notify failed'));
  };

  const subscribe = async (venueId: string, listener: Listener): Promise<() => void> => {
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
      // Only this set: a second call after a new subscriber made a new one must not drop theirs.
      if (set.size === 0 && listeners.get(venueId) === set) listeners.delete(venueId);
    };
  };

  return {
    subscribe,
    subscribeAccount: (accountId, listener) => subscribe(`account:${accountId}`, listener as unknown as Listener),
    async onRevoked(scope, listener) {
      // Its own LISTEN, started on first use: postgres.js puts every channel on the one listening connection.
      listeningRevoked ??= handle()
        .then((h) => h.listen(REVOKED_CHANNEL, dispatchRevoked))
        .catch((error) => {
          listeningRevoked = null;
          throw error;
        });
      await listeningRevoked;
      const set = watchers.get(scope.accountId) ?? new Set();
      const watcher = { scope, listener };
      set.add(watcher);
      watchers.set(scope.accountId, set);
      return () => {
        set.delete(watcher);
        if (set.size === 0 && watchers.get(scope.accountId) === set) watchers.delete(scope.accountId);
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

export type ProcessBus = LiveBus & RevocationWatch & AccountWatch;
const g = globalThis as { __liveBus?: ProcessBus };
/** The process's bus on the process's database. */
export function liveBus(): ProcessBus {
  g.__liveBus ??= createLiveBus(getDatabase);
  return g.__liveBus;
}

/** Makes `bus` the process's bus from now on (tests: a second "app server" on its own LISTEN connection). */
export function useLiveBus(bus: ProcessBus | undefined) {
  g.__liveBus = bus;
}
