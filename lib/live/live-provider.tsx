'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { connectLiveChannel } from './use-live-channel';

// One live stream per browser tab (#18): Chromium allows 6 HTTP/1.1 connections per host, so the bell,
// the dashboard and the sunflower screen share one EventSource to /api/live?topics=… (app/api/live/route.ts).
// Components say which topic they need with useLiveTopic; the provider reopens the stream when the set of
// topics changes (client navigation), one stream at a time.

type Handlers = Record<string, (data: unknown) => void>;
type Entry = { topic: string; handlers: { current: Handlers } };
type Live = { register: (entry: Entry) => () => void; heard: readonly string[] };

const LiveContext = createContext<Live | null>(null);

/** What the server writes on a multiplexed stream. */
type Multiplexed = { t: string; e: string; d: unknown };
type End = { reason: string; topic?: string };

/**
 * Owns the tab's stream. `inbox`: the account is signed in, so its inbox is always heard (the bell).
 * A topic the server ends (role taken away) is dropped and the stream reopened without it, so the bell
 * keeps working; it is asked for again only once no component holds it any more. An end with no topic
 * (signed out) stops the stream for good.
 */
export function LiveProvider({ inbox, children }: { inbox: boolean; children: ReactNode }) {
  const entries = useRef(new Set<Entry>());
  const [wanted, setWanted] = useState<readonly string[]>([]);
  const [ended, setEnded] = useState<readonly string[]>([]);
  const [stopped, setStopped] = useState(false);
  const [open, setOpen] = useState(false);

  const recompute = useCallback(() => {
    const names = [...new Set([...entries.current].map((e) => e.topic))].sort();
    setWanted((prev) => (prev.join() === names.join() ? prev : names));
    setEnded((prev) => (prev.every((t) => names.includes(t)) ? prev : prev.filter((t) => names.includes(t))));
  }, []);
  const register = useCallback(
    (entry: Entry) => {
      entries.current.add(entry);
      recompute();
      return () => {
        entries.current.delete(entry);
        recompute();
      };
    },
    [recompute],
  );

  const topics = useMemo(
    () => [...(inbox ? ['inbox'] : []), ...wanted.filter((t) => t !== 'inbox' && !ended.includes(t))],
    [inbox, wanted, ended],
  );
  const url = stopped || topics.length === 0 ? null : `/api/live?topics=${topics.join(',')}`;

  useEffect(() => {
    if (!url) return;
    const each = (topic: string | null, run: (h: Handlers) => void) => {
      for (const entry of [...entries.current]) if (topic === null || entry.topic === topic) run(entry.handlers.current);
    };
    const handlers: Handlers = {
      live: (data) => {
        const { t, e, d } = data as Multiplexed;
        each(t, (h) => h[e]?.(d));
      },
      end: (data) => {
        const end = data as End;
        each(end.topic ?? null, (h) => h.end?.(end));
        if (end.topic) setEnded((prev) => [...prev, end.topic!]);
        else setStopped(true);
      },
    };
    let stop = () => {};
    // Components register in their effects; a moment's wait lets a page's topics join before the first open.
    const timer = setTimeout(() => (stop = connectLiveChannel(url, () => handlers, setOpen)), 30);
    return () => {
      clearTimeout(timer);
      stop();
      setOpen(false);
    };
  }, [url]);

  const value = useMemo<Live>(() => ({ register, heard: open ? topics : [] }), [register, open, topics]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/**
 * Hears `topic` (`inbox`, `admin:<venueId>`, `checker:<venueId>`) on the tab's stream for as long as the
 * component is mounted; `end` is called when the server ends the topic (role taken away, signed out).
 * Returns whether the topic is being heard now. Handlers are kept in a ref so they may change freely.
 */
export function useLiveTopic(topic: string | null, handlers: Handlers): boolean {
  const live = useContext(LiveContext);
  const latest = useRef(handlers);
  latest.current = handlers;
  const register = live?.register;
  useEffect(() => (register && topic ? register({ topic, handlers: latest }) : undefined), [register, topic]);
  return Boolean(live && topic && live.heard.includes(topic));
}
