// lib/live/stream.ts on its own, with a bus of hand-delivered revocations: which revocations end which
// stream, the revocation heard before the stream has even started, the first check's refusal, the 30 s
// re-check kept as a safety net (fake timers: nothing here waits), and a client going away.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RevocationWatch } from '@/lib/live/bus';
import { parseRevocation, revocationEnds, type Revocation, type StreamScope } from '@/lib/live/revocations';
import { openLiveStream, type CheckReason, type Send } from '@/lib/live/stream';

const scope: StreamScope = { accountId: 'acc-1', sessionId: 'ses-1', venueId: 'ven-1', role: 'checker' };

describe('revocationEnds', () => {
  it('matches the account, and the session, venue and role only where the revocation names them', () => {
    const ends = (r: Partial<Revocation>) => revocationEnds(scope, { a: 'acc-1', why: 'removed', ...r });
    expect(ends({})).toBe(true);
    expect(ends({ a: 'acc-2' })).toBe(false);
    expect(ends({ s: 'ses-1' })).toBe(true);
    expect(ends({ s: 'ses-2' })).toBe(false);
    expect(ends({ v: 'ven-1', r: 'checker' })).toBe(true);
    expect(ends({ v: 'ven-2', r: 'checker' })).toBe(false);
    expect(ends({ v: 'ven-1', r: 'admin' })).toBe(false);
    // A stream of no venue (a later issue's) is not ended by one venue's revocation.
    expect(revocationEnds({ accountId: 'acc-1', sessionId: 'ses-1' }, { a: 'acc-1', v: 'ven-1', why: 'removed' })).toBe(false);
    expect(revocationEnds({ accountId: 'acc-1', sessionId: 'ses-1' }, { a: 'acc-1', why: 'signed_out' })).toBe(true);
  });

  it('parses revocations and nothing else', () => {
    expect(parseRevocation('{"a":"x","why":"signed_out"}')).toEqual({ a: 'x', why: 'signed_out' });
    for (const bad of ['nope', 'null', '"a"', '{"why":"signed_out"}', '{"a":"x","why":"other"}', '{"a":"x","why":"removed","r":"root"}']) {
      expect(parseRevocation(bad)).toBeNull();
    }
    expect(parseRevocation('{"a":"x","why":"removed","v":7}')).toBeNull();
  });
});

/** A bus whose revocations the test delivers by hand, with the watchers it holds. */
function handBus() {
  const watchers = new Set<{ scope: StreamScope; listener: (r: Revocation) => void }>();
  const bus: RevocationWatch = {
    async onRevoked(s, listener) {
      const w = { scope: s, listener };
      watchers.add(w);
      return () => void watchers.delete(w);
    },
  };
  const deliver = (r: Revocation) => {
    for (const w of [...watchers]) if (revocationEnds(w.scope, r)) w.listener(r);
  };
  return { bus, watchers, deliver };
}

/** Everything the stream writes, as text, and whether it has closed. */
async function drain(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const state = { text: '', closed: false };
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      state.text += decoder.decode(value, { stream: true });
    }
    state.closed = true;
  })();
  return { state, done, cancel: () => reader.cancel() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('openLiveStream', () => {
  const req = () => new Request('http://localhost/api/live');

  it('a matching revocation ends it with `end` and the reason, and stops its events; another account’s does not', async () => {
    const { bus, watchers, deliver } = handBus();
    const stopped = vi.fn();
    let send: Send = () => {};
    const opened = await openLiveStream({
      req: req(),
      scope,
      bus,
      check: async () => null,
      start: async (s) => {
        send = s;
        return stopped;
      },
    });
    if (!opened.ok) throw new Error('refused');
    const read = await drain(opened.response);
    send('summary', { count: 1 });
    deliver({ a: 'acc-2', why: 'signed_out' });
    deliver({ a: 'acc-1', v: 'ven-2', r: 'checker', why: 'removed' });
    deliver({ a: 'acc-1', v: 'ven-1', r: 'checker', why: 'removed' });
    await read.done;
    expect(read.state.text).toBe('retry: 3000\n\nevent: summary\ndata: {"count":1}\n\nevent: end\ndata: {"reason":"removed"}\n\n');
    expect(stopped).toHaveBeenCalled();
    expect(watchers.size).toBe(0);
    // Later sends are dropped, not thrown.
    expect(() => send('summary', { count: 2 })).not.toThrow();
  });

  it('a revocation heard after the watch began but before the stream started ends it at once, without starting it', async () => {
    const { bus, deliver } = handBus();
    const start = vi.fn(async () => () => {});
    const opened = await openLiveStream({
      req: req(),
      scope,
      bus,
      // The revocation arrives while the first check runs (it committed after the check's read).
      check: async () => (deliver({ a: 'acc-1', s: 'ses-1', why: 'signed_out' }), null),
      start,
    });
    if (!opened.ok) throw new Error('refused');
    const read = await drain(opened.response);
    await read.done;
    expect(read.state.text).toBe('retry: 3000\n\nevent: end\ndata: {"reason":"signed_out"}\n\n');
    expect(start).not.toHaveBeenCalled();
  });

  it('the first check’s refusal opens nothing and leaves no watcher', async () => {
    const { bus, watchers } = handBus();
    for (const reason of ['unauthenticated', 'forbidden'] as CheckReason[]) {
      const start = vi.fn(async () => () => {});
      expect(await openLiveStream({ req: req(), scope, bus, check: async () => reason, start })).toEqual({ ok: false, reason });
      expect(start).not.toHaveBeenCalled();
    }
    expect(watchers.size).toBe(0);
  });

  it('keeps the 30 s re-check as a safety net (a revocation lost on the way)', async () => {
    vi.useFakeTimers();
    const { bus, watchers } = handBus();
    let allowed = true;
    const check = vi.fn(async (): Promise<CheckReason | null> => (allowed ? null : 'forbidden'));
    const opened = await openLiveStream({ req: req(), scope, bus, check, start: async () => () => {} });
    if (!opened.ok) throw new Error('refused');
    const read = await drain(opened.response);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(read.state.closed).toBe(false);
    allowed = false;
    await vi.advanceTimersByTimeAsync(30_000);
    await read.done;
    expect(read.state.text).toMatch(/event: end\ndata: \{"reason":"forbidden"\}\n\n$/);
    expect(read.state.text).toContain(': ping\n\n');
    expect(watchers.size).toBe(0);
  });

  it('a client going away stops the events, the timers and the watch', async () => {
    vi.useFakeTimers();
    const { bus, watchers } = handBus();
    const stopped = vi.fn();
    const check = vi.fn(async () => null);
    const opened = await openLiveStream({ req: req(), scope, bus, check, start: async () => stopped });
    if (!opened.ok) throw new Error('refused');
    const read = await drain(opened.response);
    await read.cancel();
    expect(stopped).toHaveBeenCalled();
    expect(watchers.size).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
