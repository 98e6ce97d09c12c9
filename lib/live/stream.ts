import 'server-only';
import { log } from '@/lib/log';
import { liveBus, type RevocationWatch } from './bus';
import type { RevokedReason, StreamScope } from './revocations';

// One server-sent events stream that ends when what it depends on is taken away: at once on a revocation
// (lib/live/revocations.ts, on every app server through the bus), and at the latest at the next check,
// every 30 s, should a notification be lost (the LISTEN connection reconnecting). Before closing it sends
// `end` with the reason; lib/live/use-live-channel.ts then stops reconnecting.

const RECHECK_MS = 30_000;
const HEARTBEAT_MS = 20_000;

/** Why a stream may not go on, found by its own check (the session, then the role). */
export type CheckReason = 'unauthenticated' | 'forbidden';
export type EndReason = RevokedReason | CheckReason;
/**
 * One topic of a multiplexed stream (app/api/live/route.ts) may no longer go on: the stream ends with
 * `end {reason, topic}` and the client reconnects without that topic (lib/live/live-provider.tsx).
 */
export type TopicEnd = { reason: CheckReason; topic: string };

export type Send = (event: string, data: unknown) => void;

export type LiveStreamOptions = {
  req: Request;
  /** The account, session, venue and role the stream depends on: a revocation matching it ends the stream. */
  scope: StreamScope;
  /**
   * Null when the stream may go on now, else why not: a reason for the whole stream, or a TopicEnd for one
   * of `topics`. Run before it opens (a whole-stream refusal then opens nothing; a topic's opens a stream
   * that ends at once, naming the topic) and every 30 s after.
   */
  check: (now: Date) => Promise<CheckReason | TopicEnd | null>;
  /** Topics of a multiplexed stream, each with the scope whose revocation ends it (named in `end`). */
  topics?: { name: string; scope: StreamScope }[];
  /** Starts the stream's own events once the first check has passed; returns what stops them. */
  start: (send: Send) => Promise<() => void>;
  bus?: RevocationWatch;
};

export type OpenedStream = { ok: true; response: Response } | { ok: false; reason: CheckReason };

export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

/**
 * Opens a live stream for `scope`, or says why not. The revocation watch is on before the first check, so
 * a revocation is either seen by that check (committed before it) or heard (committed after): none falls
 * in between.
 */
export async function openLiveStream(opts: LiveStreamOptions): Promise<OpenedStream> {
  const bus = opts.bus ?? liveBus();
  // Until the stream exists, a revocation is only remembered; the stream then ends as soon as it opens.
  let revokedEarly: { reason: EndReason; topic?: string } | null = null;
  let onRevoked: (reason: EndReason, topic?: string) => void = (reason, topic) => void (revokedEarly ??= { reason, topic });
  const stops = [await bus.onRevoked(opts.scope, (revocation) => onRevoked(revocation.why))];
  const stopWatching = () => stops.forEach((s) => s());
  let refused: CheckReason | TopicEnd | null;
  try {
    for (const topic of opts.topics ?? []) {
      stops.push(await bus.onRevoked(topic.scope, (revocation) => onRevoked(revocation.why, topic.name)));
    }
    refused = await opts.check(new Date());
  } catch (error) {
    stopWatching();
    throw error;
  }
  if (typeof refused === 'string') {
    stopWatching();
    return { ok: false, reason: refused };
  }
  if (refused) revokedEarly ??= refused;

  const encoder = new TextEncoder();
  let closed = false;
  let stop = stopWatching;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // the client went away between two writes
        }
      };
      const send: Send = (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const close = () => {
        if (closed) return;
        closed = true;
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      const end = (reason: EndReason, topic?: string) => {
        send('end', topic === undefined ? { reason } : { reason, topic });
        close();
      };
      let stopEvents = () => {};
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      const recheck = setInterval(() => {
        opts.check(new Date()).then(
          (reason) => reason && (typeof reason === 'string' ? end(reason) : end(reason.reason, reason.topic)),
          (error) => log().warn({ err: error }, 'live stream recheck failed'),
        );
      }, RECHECK_MS);
      stop = () => {
        stopWatching();
        stopEvents();
        clearInterval(heartbeat);
        clearInterval(recheck);
      };
      onRevoked = end;
      opts.req.signal.addEventListener('abort', close);
      write('retry: 3000\n\n');
      const early = revokedEarly as { reason: EndReason; topic?: string } | null;
      if (early) return end(early.reason, early.topic);
      let stopStarted: () => void;
      try {
        stopStarted = await opts.start(send);
      } catch (error) {
        // Closed without `end`: the client reconnects and tries again.
        log().warn({ err: error }, 'live stream failed to start');
        return close();
      }
      // Ended (revoked, or the client gone) while starting: stop what just started.
      if (closed) stopStarted();
      else stopEvents = stopStarted;
    },
    cancel() {
      closed = true;
      stop();
    },
  });
  return { ok: true, response: new Response(stream, { headers: EVENT_STREAM_HEADERS }) };
}
