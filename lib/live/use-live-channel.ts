'use client';

type Handlers = Record<string, (data: unknown) => void>;
/** What is used of an EventSource. */
type Source = {
  addEventListener(type: string, listener: (e: Event) => void): void;
  close(): void;
  onopen: ((e: Event) => unknown) | null;
  onerror: ((e: Event) => unknown) | null;
};

/**
 * Keeps a server-sent events stream open: reconnects with back-off (1 s doubling to 30 s) when it drops,
 * and stops for good on the server's `end` event (signed out, role or binding taken away:
 * lib/live/stream.ts), which an `end` handler also gets. Used by the tab's one stream (lib/live/live-provider.tsx). Returns what stops it. The browser's
 * EventSource and timers are parameters so tests can drive it.
 */
export function connectLiveChannel(
  url: string,
  handlers: () => Handlers,
  onConnected: (connected: boolean) => void,
  deps: { open: (url: string) => Source; later: (run: () => void, ms: number) => () => void } = {
    open: (u) => new EventSource(u),
    later: (run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
  },
): () => void {
  let source: Source | null = null;
  let cancelRetry: (() => void) | null = null;
  let delay = 1000;
  let stopped = false;
  const connect = () => {
    const current = deps.open(url);
    source = current;
    current.onopen = () => {
      delay = 1000;
      onConnected(true);
    };
    current.onerror = () => {
      onConnected(false);
      current.close();
      if (!stopped) cancelRetry = deps.later(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    };
    for (const event of Object.keys(handlers())) {
      current.addEventListener(event, (e) => handlers()[event]?.(JSON.parse((e as MessageEvent).data)));
    }
    current.addEventListener('end', () => {
      stopped = true;
      onConnected(false);
      current.close();
    });
  };
  connect();
  return () => {
    stopped = true;
    cancelRetry?.();
    source?.close();
  };
}
