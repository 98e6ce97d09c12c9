// A server-sent event stream read as a browser reads it (tests of app/api/live/route.ts, called in-process):
// the body read in the background, event by event; waits are for an event, bounded only to fail.
import { afterEach, expect } from 'vitest';

/** Bounds every wait: far below the live route's 30 s re-check, and it only ever decides a failure. */
export const FAIL_AFTER_MS = 10_000;

export type SseEvent = { event: string; data: unknown };
/** A multiplexed event (`live`): topic, event, data. */
export type Multiplexed = { t: string; e: string; d: Record<string, unknown> };
export type SseStream = {
  label: string;
  events: SseEvent[];
  closed: boolean;
  /** Resolves when `done(stream)` holds (checked on every event and at the close). */
  until(done: (s: SseStream) => boolean, what: string): Promise<void>;
  /** The `live` events of `topic` named `e`. */
  of(topic: string, e: string): Multiplexed[];
  /** Resolves with the `end` event's data once the stream has ended and closed (`end` is its last event). */
  ended(): Promise<{ reason: string; topic?: string }>;
  abort(): void;
};

const open: SseStream[] = [];
// As a browser closing the page after each test: the route's cancel() stops its timers and subscriptions.
afterEach(() => {
  for (const s of open.splice(0)) s.abort();
});

/** Reads an opened stream's body in the background, event by event; aborted after the test. */
export function readSseStream(label: string, res: Response): SseStream {
  expect(res.status, `${label} opens`).toBe(200);
  const reader = res.body!.getReader();
  const waiters = new Set<() => void>();
  const s: SseStream = {
    label,
    events: [],
    closed: false,
    until(done, what) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!done(s)) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${label}: no ${what} within ${FAIL_AFTER_MS} ms (events: ${JSON.stringify(s.events)})`));
        }, FAIL_AFTER_MS);
        if (!check()) waiters.add(check);
      });
    },
    of: (topic, e) =>
      s.events
        .filter((x) => x.event === 'live')
        .map((x) => x.data as Multiplexed)
        .filter((x) => x.t === topic && x.e === e),
    async ended() {
      await s.until((x) => x.closed, 'end');
      const end = s.events.find((e) => e.event === 'end');
      expect(end, `${label} says why it ended`).toBeDefined();
      expect(s.events.at(-1)).toBe(end);
      return end!.data as { reason: string; topic?: string };
    },
    abort() {
      void reader.cancel().catch(() => {});
    },
  };
  const wake = () => [...waiters].forEach((w) => w());
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) s.events.push({ event, data: JSON.parse(data) });
          wake();
        }
      }
    } catch {
      // cancelled by abort()
    }
    s.closed = true;
    wake();
  })();
  open.push(s);
  return s;
}
