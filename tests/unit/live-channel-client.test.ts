// The browser side of a live stream (lib/live/use-live-channel.ts) with a hand-driven EventSource and
// hand-run timers: it reconnects when the stream drops, and stops for good on the server's `end`.
import { describe, expect, it } from 'vitest';
import { connectLiveChannel } from '@/lib/live/use-live-channel';

class FakeSource {
  onopen: ((e: Event) => unknown) | null = null;
  onerror: ((e: Event) => unknown) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: Event) => void)[]>();
  addEventListener(type: string, listener: (e: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

function harness(handlers: Record<string, (data: unknown) => void> = {}) {
  const sources: FakeSource[] = [];
  const timers: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const states: boolean[] = [];
  const stop = connectLiveChannel(
    '/api/live?venueId=v',
    () => handlers,
    (c) => states.push(c),
    {
      open: () => {
        const s = new FakeSource();
        sources.push(s);
        return s;
      },
      later: (run, ms) => {
        const t = { ms, run, cancelled: false };
        timers.push(t);
        return () => void (t.cancelled = true);
      },
    },
  );
  /** Runs the pending retry, if any. */
  const fire = () => {
    const t = timers.find((x) => !x.cancelled);
    if (!t) return false;
    timers.splice(timers.indexOf(t), 1);
    t.run();
    return true;
  };
  return { sources, timers, states, stop, fire };
}

describe('connectLiveChannel', () => {
  it('reconnects with back-off when the stream drops, and resets the delay once open', () => {
    const h = harness();
    h.sources[0].onopen?.(new Event('open'));
    h.sources[0].onerror?.(new Event('error'));
    expect(h.sources[0].closed).toBe(true);
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    h.fire();
    h.sources[1].onerror?.(new Event('error'));
    expect(h.timers.map((t) => t.ms)).toEqual([2000]);
    h.fire();
    h.sources[2].onopen?.(new Event('open'));
    h.sources[2].onerror?.(new Event('error'));
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    expect(h.states).toEqual([true, false, false, true, false]);
    h.stop();
  });

  it('stops for good on `end`: the handler gets the reason, and nothing reconnects', () => {
    const ends: unknown[] = [];
    const h = harness({ end: (d) => ends.push(d), summary: () => {} });
    h.sources[0].onopen?.(new Event('open'));
    h.sources[0].emit('end', { reason: 'removed' });
    expect(ends).toEqual([{ reason: 'removed' }]);
    expect(h.sources[0].closed).toBe(true);
    expect(h.states.at(-1)).toBe(false);
    // A late error from the closed stream schedules nothing.
    h.sources[0].onerror?.(new Event('error'));
    expect(h.fire()).toBe(false);
    expect(h.sources).toHaveLength(1);
  });

  it('stopping (unmount) cancels a pending retry and closes the stream', () => {
    const h = harness();
    h.sources[0].onerror?.(new Event('error'));
    h.stop();
    expect(h.timers.every((t) => t.cancelled)).toBe(true);
    expect(h.sources[0].closed).toBe(true);
  });
});
