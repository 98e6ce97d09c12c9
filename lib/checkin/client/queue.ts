// The scanner's offline queue: every confirmed record is written to the device (IndexedDB, through idb)
// before it is sent, and stays there until the server has answered for it. A plain module with no React
// and no window: the browser, the Node tests (fake-indexeddb) and the fault drills run this same code.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CheckinPayload, StoredCheckin } from '../record-checkin';

export type QueuedRecord = {
  clientId: string;
  /** The checker who took the record: it is only ever sent under this account. */
  accountId: string;
  venueId: string;
  payload: CheckinPayload;
  /** False when the record was taken offline: the colour is decided by the server when it syncs. */
  colourKnown: boolean;
  takenAt: number;
  state: 'pending' | 'rejected';
  attempts: number;
  error?: string;
};

export type QueueEvent =
  | { type: 'stored'; record: StoredCheckin; queued: QueuedRecord; duplicate: boolean }
  /** A record taken offline turned out to be a red code: the checker must be alerted now. */
  | { type: 'red'; record: StoredCheckin; queued: QueuedRecord }
  | { type: 'rejected'; queued: QueuedRecord; error: string }
  | { type: 'stopped'; reason: StopReason; accountId: string }
  | { type: 'changed' };

/** Why a flush stopped with records still waiting. Records are kept in every case. */
export type StopReason = 'network' | 'server' | 'unauthenticated' | 'wrong_account';

export type FlushOutcome = { stored: number; rejected: number; remaining: number; stopped?: StopReason };

type QueueSchema = DBSchema & { records: { key: string; value: QueuedRecord; indexes: { byAccount: string } } };

export type QueueOptions = {
  /** One database per device (Node tests and drills load fake-indexeddb/auto and name one per scanner). */
  dbName?: string;
  /** Absolute origin for Node; '' in the browser. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Extra request headers (Node clients carry their session cookie here). */
  headers?: () => Record<string, string>;
  timeoutMs?: number;
  /** Back-off after a failed attempt: base × 2^n, capped, with jitter. */
  backoff?: { baseMs: number; maxMs: number };
  batchSize?: number;
  onEvent?: (event: QueueEvent) => void;
  /** Runs a flush under a lock shared by the device's tabs (the Web Locks API in the browser). */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
};

export const DEFAULT_DB_NAME = 'door-queue';
const SINGLE_URL = '/api/checkins';
const BATCH_URL = '/api/checkins/batch';

type Answer = { status: number; error?: string; duplicate?: boolean; record?: StoredCheckin };
type SendResult = { kind: 'answers'; answers: Map<string, Answer> } | { kind: 'stopped'; reason: StopReason };

/** Per-record statuses that mean "try again later" (the record is kept as pending). */
function isTransient(a: Answer) {
  return a.status >= 500 || a.status === 429 || a.status === 408;
}

export type CheckinQueue = ReturnType<typeof createCheckinQueue>;

export function createCheckinQueue(options: QueueOptions = {}) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const baseUrl = options.baseUrl ?? '';
  const timeoutMs = options.timeoutMs ?? 15_000;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
  const batchSize = options.batchSize ?? 200;
  const emit = (e: QueueEvent) => options.onEvent?.(e);

  let dbPromise: Promise<IDBPDatabase<QueueSchema>> | null = null;
  function db() {
    dbPromise ??= openDB<QueueSchema>(options.dbName ?? DEFAULT_DB_NAME, 1, {
      upgrade(d) {
        const store = d.createObjectStore('records', { keyPath: 'clientId' });
        store.createIndex('byAccount', 'accountId');
      },
    });
    return dbPromise;
  }

  async function recordsOf(accountId?: string): Promise<QueuedRecord[]> {
    const d = await db();
    const all = accountId ? await d.getAllFromIndex('records', 'byAccount', accountId) : await d.getAll('records');
    return all.sort((a, b) => a.takenAt - b.takenAt);
  }

  /** Saves a confirmed record on the device. Resolves once it is durable; sending comes after. */
  async function add(input: { accountId: string; payload: CheckinPayload; colourKnown: boolean }) {
    const record: QueuedRecord = {
      clientId: input.payload.clientId,
      accountId: input.accountId,
      venueId: input.payload.venueId,
      payload: input.payload,
      colourKnown: input.colourKnown,
      takenAt: Date.now(),
      state: 'pending',
      attempts: 0,
    };
    await (await db()).put('records', record);
    emit({ type: 'changed' });
    return record;
  }

  async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> } | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await doFetch(baseUrl + url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.headers?.() ?? {}) },
        body: JSON.stringify(body),
        signal: controller.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: res.status, json };
    } catch {
      return null; // network down, proxy gone, or timed out: the answer is unknown, so the record is resent
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(accountId: string, slice: QueuedRecord[]): Promise<SendResult> {
    const single = slice.length === 1;
    const res = single
      ? await post(SINGLE_URL, { ...slice[0].payload, checkerAccountId: accountId })
      : await post(BATCH_URL, { checkerAccountId: accountId, records: slice.map((r) => r.payload) });
    if (!res) return { kind: 'stopped', reason: 'network' };
    if (res.status === 401) return { kind: 'stopped', reason: 'unauthenticated' };
    if (res.status === 403 && res.json.error === 'wrong_account') return { kind: 'stopped', reason: 'wrong_account' };
    const answers = new Map<string, Answer>();
    if (single) {
      answers.set(slice[0].clientId, {
        status: res.status,
        error: res.json.error as string | undefined,
        duplicate: res.json.duplicate as boolean | undefined,
        record: res.json.record as StoredCheckin | undefined,
      });
      return { kind: 'answers', answers };
    }
    if (res.status !== 200 || !Array.isArray(res.json.results)) {
      // The whole batch was refused or the server failed: nothing in it is known to be stored.
      return res.status >= 500 || res.status === 429
        ? { kind: 'stopped', reason: 'server' }
        : splitRefusal(slice, res.status, res.json.error as string | undefined);
    }
    for (const a of res.json.results as (Answer & { clientId: string })[]) answers.set(a.clientId, a);
    return { kind: 'answers', answers };
  }

  /** A batch refused as a whole (400/413/415): every record in it carries that answer. */
  function splitRefusal(slice: QueuedRecord[], status: number, error = 'invalid'): SendResult {
    return { kind: 'answers', answers: new Map(slice.map((r) => [r.clientId, { status, error }])) };
  }

  let running: Promise<FlushOutcome> | null = null;

  /**
   * Sends the waiting records of `accountId` (oldest first, in slices), one flush at a time. Other
   * accounts' records are never sent. Stops at the first failure that is not the record's own fault.
   */
  function flush(accountId: string): Promise<FlushOutcome> {
    if (running) return running.then(() => flush(accountId));
    const run = () => flushNow(accountId);
    running = (options.lock ? options.lock(run) : run()).finally(() => (running = null));
    return running;
  }

  async function flushNow(accountId: string): Promise<FlushOutcome> {
    const outcome: FlushOutcome = { stored: 0, rejected: 0, remaining: 0 };
    for (;;) {
      const pending = (await recordsOf(accountId)).filter((r) => r.state === 'pending');
      if (pending.length === 0) break;
      const slice = pending.slice(0, batchSize);
      const result = await send(accountId, slice);
      const d = await db();
      if (result.kind === 'stopped') {
        for (const r of slice) await d.put('records', { ...r, attempts: r.attempts + 1, error: result.reason });
        outcome.stopped = result.reason;
        emit({ type: 'stopped', reason: result.reason, accountId });
        break;
      }
      let transient = false;
      for (const r of slice) {
        const a = result.answers.get(r.clientId);
        if (!a || isTransient(a)) {
          transient = true;
          await d.put('records', { ...r, attempts: r.attempts + 1, error: a?.error ?? 'server' });
        } else if ((a.status === 200 || a.status === 201) && a.record) {
          await d.delete('records', r.clientId);
          outcome.stored += 1;
          emit({ type: 'stored', record: a.record, queued: r, duplicate: Boolean(a.duplicate) });
          if (!r.colourKnown && a.record.colour === 'red') emit({ type: 'red', record: a.record, queued: r });
        } else {
          // Refused for its own reason (not a checker here, unknown code, …): kept and shown, never dropped.
          const error = a.error ?? 'unknown';
          await d.put('records', { ...r, state: 'rejected', attempts: r.attempts + 1, error });
          outcome.rejected += 1;
          emit({ type: 'rejected', queued: r, error });
        }
      }
      emit({ type: 'changed' });
      if (transient) {
        outcome.stopped = 'server';
        emit({ type: 'stopped', reason: 'server', accountId });
        break;
      }
    }
    outcome.remaining = (await recordsOf(accountId)).filter((r) => r.state === 'pending').length;
    return outcome;
  }

  /** Waiting and refused records, for one account or all of them (a device shared by checkers). */
  async function counts(accountId?: string) {
    const all = await recordsOf();
    const mine = accountId ? all.filter((r) => r.accountId === accountId) : all;
    return {
      pending: mine.filter((r) => r.state === 'pending').length,
      rejected: mine.filter((r) => r.state === 'rejected').length,
      /** Records waiting for another account to sign in again. */
      otherAccounts: accountId
        ? [...new Set(all.filter((r) => r.accountId !== accountId && r.state === 'pending').map((r) => r.accountId))]
        : [],
      otherPending: accountId ? all.filter((r) => r.accountId !== accountId && r.state === 'pending').length : 0,
    };
  }

  /** The checker has read a refused record and puts it away. Waiting records cannot be dismissed. */
  async function dismissRejected(clientId: string) {
    const d = await db();
    const r = await d.get('records', clientId);
    if (r?.state === 'rejected') await d.delete('records', clientId);
    emit({ type: 'changed' });
  }

  // ---- automatic retries -----------------------------------------------------------------------
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let active: string | null = null;

  function delay() {
    const ms = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures, 16));
    return ms / 2 + Math.random() * (ms / 2);
  }

  /** Flushes now and keeps retrying with back-off while records wait and the failure is transient. */
  async function kick(): Promise<FlushOutcome | null> {
    if (!active) return null;
    if (timer) clearTimeout(timer);
    timer = null;
    const accountId = active;
    const outcome = await flush(accountId);
    if (active !== accountId) return outcome;
    if (outcome.stopped === 'network' || outcome.stopped === 'server') {
      failures += 1;
      timer = setTimeout(() => void kick(), delay());
    } else failures = 0;
    return outcome;
  }

  /** Starts sending for the signed-in checker (page open, network back, sign-in again). */
  function start(accountId: string) {
    active = accountId;
    failures = 0;
    return kick();
  }

  function stop() {
    active = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  async function close() {
    stop();
    if (running) await running.catch(() => undefined);
    if (dbPromise) (await dbPromise).close();
    dbPromise = null;
  }

  return { add, flush, start, stop, kick, counts, list: recordsOf, dismissRejected, close };
}
