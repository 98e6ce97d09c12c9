// The browser's one queue per page, shared by the scanner and the sign-out warning; events fan out to
// whoever listens. Tabs of the same device take turns flushing through a Web Lock.
import { createCheckinQueue, type CheckinQueue, type QueueEvent } from './queue';

let queue: CheckinQueue | null = null;
const listeners = new Set<(event: QueueEvent) => void>();

function webLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('door-queue-flush', fn) as Promise<T>) : fn();
}

export function doorQueue(): CheckinQueue {
  // Ask the browser not to evict the queue's storage under pressure (granted for installed apps).
  if (!queue && typeof navigator !== 'undefined') void navigator.storage?.persist?.().catch(() => false);
  // Back-off capped at 15 s: a door phone back on the network sends its backlog within seconds.
  queue ??= createCheckinQueue({
    onEvent: (e) => listeners.forEach((l) => l(e)),
    lock: webLock,
    backoff: { baseMs: 1_000, maxMs: 15_000 },
  });
  return queue;
}

export function onQueueEvent(listener: (event: QueueEvent) => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Records on this device not yet accepted by the server (for the sign-out warning). */
export async function waitingOnDevice(): Promise<number> {
  if (typeof indexedDB === 'undefined') return 0;
  try {
    return (await doorQueue().counts()).pending;
  } catch {
    return 0;
  }
}
