'use client';

import { ArrowLeftRight, Flower2, X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { toast } from '@/components/ui/toaster';
import type { DoorContext } from '@/lib/checkin/door-context';
import { measureClockOffset } from '@/lib/checkin/client/clock';
import { createCodeDeduper } from '@/lib/checkin/client/dedupe';
import { loadClockOffset, saveClockOffset } from '@/lib/checkin/client/door-device';
import { chooseEntrance, loadEntranceChoice, saveEntranceChoice } from '@/lib/checkin/client/door-entrance';
import { doorQueue, onQueueEvent } from '@/lib/checkin/client/door-queue';
import type { StoredCheckin } from '@/lib/checkin/record-checkin';
import { checkShortCode } from '@/lib/health-code/short-code';
import { looksLikeCodeToken } from '@/lib/health-code/token-format';
import { useWakeLock } from '@/lib/checkin/client/wake-lock';
import { CameraView } from './camera-view';
import { fetchSummary, resolveCode, type Preview, type Summary } from './door-api';
import type { Session } from './door-shell';
import { DoorSummary } from './door-summary';
import { EntrancePicker } from './entrance-picker';
import { QueueStatus, type QueueView, type RedAlert } from './queue-status';
import { ScanResult } from './scan-result';
import { TemperatureEntry } from './temperature-entry';
import { TypedCodeForm } from './typed-code-form';
import { errorMessage } from '@/lib/i18n/message-of';

// The bell loads after the scanner (not in its first-load budget: npm run size); it needs the network anyway.
const DoorInbox = lazy(() => import('./door-inbox').then((m) => ({ default: m.DoorInbox })));

/** preview null: taken without the server (offline or signed out); the colour is decided when it syncs. */
type Current = { code: string; method: 'scan' | 'typed'; preview: Preview | null };

/** What the device can refuse alone: not one of our QR codes, or a short code with a typo. */
function refusedOnDevice(code: string, method: 'scan' | 'typed'): string | null {
  if (method === 'scan') return looksLikeCodeToken(code) ? null : 'not_ours';
  const check = checkShortCode(code);
  return check.ok ? null : check.reason;
}

/** Records confirmed on this page in the last minute get their own "saved" toast; older ones are a backlog. */
const LIVE_MS = 60_000;

/**
 * The door: scan (or type) → result at once → temperature → saved on the device, then sent. Works the
 * same with no network: the record waits in the queue and is sent under this checker when it can be.
 */
export function Scanner({
  context,
  session,
  signInUrl,
  onReconnect,
}: {
  context: DoorContext;
  session: Session;
  signInUrl: string;
  onReconnect: () => void;
}) {
  const venue = context.venue;
  const accountId = context.account.id;
  const t = useTranslations('door');
  const tq = useTranslations('quick');
  const te = useTranslations('entrances');
  const tr = useTranslations();
  const [current, setCurrent] = useState<Current | null>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [view, setView] = useState<QueueView>({ pending: 0, rejected: [], otherPending: 0 });
  const [redAlerts, setRedAlerts] = useState<RedAlert[]>([]);
  const [typedSaved, setTypedSaved] = useState(0);
  const offset = useRef(0);
  const deduper = useRef(createCodeDeduper(5000));
  const resolving = useRef<string | null>(null);
  const live = useRef(new Map<string, number>());
  const backlog = useRef({ count: 0, timer: null as ReturnType<typeof setTimeout> | null });
  useWakeLock();

  // The entrance: the one last picked at this venue on this device while it is open, else the main one.
  const entrances = context.entrances ?? [];
  const [entranceId, setEntranceId] = useState(() => loadEntranceChoice(venue.id));
  const choice = chooseEntrance(entrances, entranceId);
  const entrance = choice.entrance;
  const [pickerOpen, setPickerOpen] = useState(() => !choice.remembered && entrances.length > 1);
  const [fellBack, setFellBack] = useState(false);
  useEffect(() => {
    // The remembered entrance was removed since: the main one from now on, said once.
    if (!choice.fellBack || !entrance) return;
    setFellBack(true);
    setEntranceId(entrance.id);
    saveEntranceChoice(venue.id, entrance.id);
  }, [choice.fellBack, entrance, venue.id]);

  const refreshSummary = useCallback(async () => {
    const s = await fetchSummary(venue.id);
    if (s) setSummary(s);
  }, [venue.id]);

  const refreshQueue = useCallback(async () => {
    const queue = doorQueue();
    const [counts, mine] = await Promise.all([queue.counts(accountId), queue.list(accountId)]);
    setView({ pending: counts.pending, rejected: mine.filter((r) => r.state === 'rejected'), otherPending: counts.otherPending });
  }, [accountId]);

  useEffect(() => {
    offset.current = loadClockOffset();
    if (session === 'ok') {
      void measureClockOffset().then((o) => {
        if (o === null) return;
        offset.current = o;
        saveClockOffset(o);
      });
      void refreshSummary();
    }
  }, [session, refreshSummary]);

  const errorText = useCallback(
    (error: string, seconds?: number) => errorMessage(tr, ['door.errors', 'venueClose.door'], error, { seconds: seconds ?? 0 }),
    [tr],
  );

  // What the queue reports as it sends: saved / fever for records just taken, one line for a synced
  // backlog, and a red code found while syncing as an alert that stays until the checker reads it.
  useEffect(() => {
    void refreshQueue();
    return onQueueEvent((e) => {
      if (e.type === 'changed') return void refreshQueue();
      if (e.type === 'red') {
        navigator.vibrate?.([300, 100, 300, 100, 300]);
        setRedAlerts((a) => [...a, { clientId: e.queued.clientId, nameMasked: e.record.person.nameMasked, at: e.record.effectiveAt }]);
        return;
      }
      if (e.type === 'rejected') return void toast.error(t('queue.rejectedToast', { reason: errorText(e.error) }));
      if (e.type !== 'stored' || e.queued.accountId !== accountId) return;
      const takenAt = live.current.get(e.queued.clientId);
      live.current.delete(e.queued.clientId);
      if (takenAt !== undefined && Date.now() - takenAt < LIVE_MS) return announce(e.record);
      backlog.current.count += 1;
      if (backlog.current.timer) clearTimeout(backlog.current.timer);
      backlog.current.timer = setTimeout(() => {
        toast.success(t('queue.syncedBatch', { count: backlog.current.count }));
        backlog.current.count = 0;
        void refreshSummary();
      }, 800);
    });
    function announce(record: StoredCheckin) {
      const text = record.fever
        ? t('savedFever', { name: record.person.nameMasked, temp: record.temperature ?? '' })
        : t('saved', { name: record.person.nameMasked, temp: record.temperature ?? '' });
      if (record.fever) toast.error(text);
      else toast.success(text);
      void refreshSummary();
    }
  }, [accountId, refreshQueue, refreshSummary, errorText, t]);

  const take = useCallback(
    async (code: string, method: 'scan' | 'typed') => {
      if (resolving.current === code) return;
      // What the device can tell alone (online or not): not a health code at all, or a mistyped short code.
      const local = refusedOnDevice(code, method);
      if (local) {
        setCurrent(null);
        setMessage(errorText(local));
        if (typeof navigator !== 'undefined') navigator.vibrate?.(300);
        return;
      }
      resolving.current = code;
      setMessage(null);
      setChecking(true);
      const result = await resolveCode(venue.id, code, method);
      setChecking(false);
      resolving.current = null;
      if (result.ok) setCurrent({ code, method, preview: result.value });
      else if (result.failure.error === 'network' || result.failure.error === 'unauthenticated') {
        // No answer from the server: take the record anyway; the server decides the colour when it syncs.
        setCurrent({ code, method, preview: null });
        if (result.failure.error === 'network' && session === 'ok') onReconnect();
      } else {
        setCurrent(null);
        setMessage(errorText(result.failure.error, result.failure.retryAfterSeconds));
        if (typeof navigator !== 'undefined') navigator.vibrate?.(300);
      }
    },
    [venue.id, errorText, session, onReconnect],
  );

  const onDetected = useCallback(
    (text: string) => {
      if (deduper.current.accept(text) && current?.code !== text) void take(text, 'scan');
    },
    [take, current],
  );

  async function confirm(temperature: string) {
    if (!current) return;
    setBusy(true);
    const queue = doorQueue();
    const payload = {
      clientId: crypto.randomUUID(),
      venueId: venue.id,
      method: current.method,
      code: current.code,
      temperature,
      scannedAt: Date.now(),
      clockOffsetMs: offset.current,
      // Absent only for a context stored before entrances existed: the server takes the main entrance.
      ...(entrance ? { entranceId: entrance.id } : {}),
    };
    live.current.set(payload.clientId, Date.now());
    try {
      // On the device first: from here on the record cannot be lost.
      await queue.add({ accountId, payload, colourKnown: current.preview !== null });
    } catch {
      setBusy(false);
      return setMessage(t('queue.deviceFull'));
    }
    setBusy(false);
    setCurrent(null);
    if (current.method === 'typed') setTypedSaved((n) => n + 1);
    const outcome = await queue.kick();
    if (!outcome || outcome.stopped) toast.message(t('queue.savedOffline'));
  }

  return (
    <div className="mx-auto max-w-lg space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h1 className="min-w-0 truncate text-xl font-semibold" data-testid="scanner-venue">
          {venue.name}
        </h1>
        <span className="flex shrink-0 items-center gap-1">
          <a href="/checker" className="inline-flex shrink-0 items-center gap-1 text-brand-600">
            <ArrowLeftRight aria-hidden size={18} />
            {t('changeVenue')}
          </a>
          {session === 'ok' && (
            <Suspense fallback={null}>
              <DoorInbox />
            </Suspense>
          )}
        </span>
      </div>
      <QueueStatus
        session={session}
        view={view}
        phoneMasked={context.account.phoneMasked}
        signInUrl={signInUrl}
        redAlerts={redAlerts}
        onDismissRed={(id) => setRedAlerts((a) => a.filter((x) => x.clientId !== id))}
        onDismissRejected={(id) => void doorQueue().dismissRejected(id)}
      />
      <EntrancePicker
        entrances={entrances}
        current={entrance}
        open={pickerOpen}
        onOpen={setPickerOpen}
        fellBack={fellBack}
        onPick={(e) => {
          setEntranceId(e.id);
          saveEntranceChoice(venue.id, e.id);
          setPickerOpen(false);
          setFellBack(false);
          toast.success(te('door.switched', { name: e.name ?? te('main') }));
        }}
      />
      <a
        href={`/checker/quick?v=${venue.id}${entrance ? `&entrance=${entrance.id}` : ''}`}
        className="flex h-14 items-center justify-center gap-2 rounded-2xl bg-amber-400 text-lg font-semibold text-amber-950 shadow-sm"
        data-testid="open-quick"
      >
        <Flower2 aria-hidden size={24} />
        {tq('open')}
      </a>
      <CameraView onDetected={onDetected} />
      <div aria-live="assertive">
        {message && (
          <div
            role="alert"
            className="flex items-start gap-2 rounded-2xl bg-amber-100 p-4 text-lg font-semibold text-amber-950"
            data-testid="scan-error"
          >
            <span className="flex-1">{message}</span>
            <button type="button" aria-label={t('cancel')} onClick={() => setMessage(null)}>
              <X aria-hidden />
            </button>
          </div>
        )}
      </div>
      {current ? (
        // Full screen over the camera (which keeps running, so a different code is still taken at once).
        <div
          role="dialog"
          aria-modal="true"
          aria-labelledby="scan-result-title"
          className="fixed inset-0 z-40 overflow-y-auto bg-surface p-3"
          data-testid="door-panel"
        >
          <div className="mx-auto max-w-lg space-y-3">
            <ScanResult preview={current.preview} />
            <TemperatureEntry key={current.code} busy={busy} onConfirm={confirm} />
            <button type="button" className="h-12 w-full rounded-xl text-base text-muted hover:bg-white" onClick={() => setCurrent(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <p className="text-center text-lg text-muted" role="status" data-testid="door-status">
          {checking ? t('resolving') : t('next')}
        </p>
      )}
      <div className="rounded-2xl bg-white p-4 shadow-sm">
        <TypedCodeForm busy={busy} saved={typedSaved} onSubmit={(code) => void take(code, 'typed')} />
      </div>
      <DoorSummary summary={summary} />
    </div>
  );
}
