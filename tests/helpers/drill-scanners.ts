// Simulated door scanners for the fault drills: each runs the real offline queue module (the one the
// browser runs, here over fake-indexeddb) exactly as the scanner page drives it — start() once, add()
// every confirmed record, then kick() — and counts what the client saw.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { createCheckinQueue, type CheckinQueue } from '@/lib/checkin/client/queue';

export type DrillScanner = {
  accountId: string;
  venueId: string;
  headers: Record<string, string>;
  /** Entrances to take records at, one at random per record; null: none named (the main one, as before entrances). */
  entranceIds?: (string | null)[];
};

export type ClientView = {
  /** HTTP answers by status, and requests that got no answer (refused, reset, timed out). */
  responses: Record<string, number>;
  noAnswer: number;
  /** Flushes that stopped with records waiting, by reason (each is followed by a retry). */
  stopped: Record<string, number>;
  stored: number;
  duplicates: number;
  rejected: { clientId: string; error: string }[];
  /** When each record was confirmed stored (ms since the epoch), for recovery times. */
  storedAt: number[];
  /** Records that needed more than one attempt. */
  retried: number;
};

export function newClientView(): ClientView {
  return { responses: {}, noAnswer: 0, stopped: {}, stored: 0, duplicates: 0, rejected: [], storedAt: [], retried: 0 };
}

/**
 * Sends `total` check-ins at about `perSecond`, spread over the scanners, each a fresh client id and a
 * random resident's signed code. Resolves when every record has been added (not yet all sent).
 */
export function startScanners(o: {
  baseUrl: string;
  scanners: DrillScanner[];
  tokens: string[];
  view: ClientView;
  timeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}) {
  const queues: CheckinQueue[] = o.scanners.map((s) =>
    createCheckinQueue({
      dbName: `drill-${randomUUID()}`,
      baseUrl: o.baseUrl,
      headers: () => s.headers,
      timeoutMs: o.timeoutMs ?? 10_000,
      backoff: o.backoff ?? { baseMs: 250, maxMs: 2_000 },
      fetch: async (input, init) => {
        try {
          const res = await fetch(input, init);
          o.view.responses[res.status] = (o.view.responses[res.status] ?? 0) + 1;
          return res;
        } catch (error) {
          o.view.noAnswer += 1;
          throw error;
        }
      },
      onEvent: (e) => {
        if (e.type === 'stored') {
          o.view.stored += 1;
          if (e.duplicate) o.view.duplicates += 1;
          if (e.queued.attempts > 0) o.view.retried += 1;
          o.view.storedAt.push(Date.now());
        } else if (e.type === 'rejected') o.view.rejected.push({ clientId: e.queued.clientId, error: e.error });
        else if (e.type === 'stopped') o.view.stopped[e.reason] = (o.view.stopped[e.reason] ?? 0) + 1;
      },
    }),
  );
  o.scanners.forEach((s, i) => void queues[i].start(s.accountId));
  const sent: string[] = [];
  /** The entrance each record was sent with (null: none named). */
  const sentEntrances = new Map<string, string | null>();

  async function send(total: number, perSecond: number, onAdded?: (n: number) => void) {
    const start = Date.now();
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const i = k % o.scanners.length;
      const s = o.scanners[i];
      const entranceId = s.entranceIds?.length ? s.entranceIds[Math.floor(Math.random() * s.entranceIds.length)] : null;
      const payload = {
        clientId: randomUUID(),
        venueId: s.venueId,
        method: 'scan' as const,
        code: o.tokens[Math.floor(Math.random() * o.tokens.length)],
        temperature: Math.random() < 0.02 ? '37.8' : '36.6',
        scannedAt: Date.now(),
        clockOffsetMs: 0,
        ...(entranceId ? { entranceId } : {}),
      };
      sent.push(payload.clientId);
      sentEntrances.set(payload.clientId, entranceId);
      await queues[i].add({ accountId: s.accountId, payload, colourKnown: true });
      void queues[i].kick();
      onAdded?.(k + 1);
    }
  }

  /** Keeps kicking until no scanner has a waiting record (or the deadline passes); returns what waits. */
  async function drain(deadlineMs: number) {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const waiting = (await Promise.all(queues.map((q, i) => q.counts(o.scanners[i].accountId)))).reduce((a, c) => a + c.pending, 0);
      if (waiting === 0 || Date.now() > end) return waiting;
      await Promise.all(queues.map((q) => q.kick()));
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function close() {
    await Promise.all(queues.map((q) => q.close()));
  }

  return { send, drain, close, sent, sentEntrances };
}

/** Recovery after a fault: from its start until records are confirmed stored again (ms), or null. */
export function recoveryMs(view: ClientView, faultStart: number, faultEnd: number): number | null {
  const first = view.storedAt.find((t) => t >= faultEnd) ?? null;
  return first === null ? null : first - faultStart;
}
