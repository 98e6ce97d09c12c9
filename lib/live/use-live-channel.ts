'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Subscribes to a server-sent events stream and reconnects with back-off (1 s doubling to 30 s) when it
 * drops. Returns whether the stream is open. Handlers are kept in a ref so they may change freely.
 * The server's `end` event (signed out, role or binding taken away: lib/live/stream.ts) stops it for
 * good, without reconnecting; an `end` handler gets its `{ reason }`.
 */
export function useLiveChannel(url: string, handlers: Record<string, (data: unknown) => void>) {
  const [connected, setConnected] = useState(false);
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let delay = 1000;
    let stopped = false;
    const connect = () => {
      source = new EventSource(url);
      source.onopen = () => {
        delay = 1000;
        setConnected(true);
      };
      source.onerror = () => {
        setConnected(false);
        source?.close();
        if (!stopped) retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
      for (const event of Object.keys(latest.current)) {
        source.addEventListener(event, (e) => latest.current[event]?.(JSON.parse((e as MessageEvent).data)));
      }
      source.addEventListener('end', () => {
        stopped = true;
        setConnected(false);
        source?.close();
      });
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [url]);

  return connected;
}
