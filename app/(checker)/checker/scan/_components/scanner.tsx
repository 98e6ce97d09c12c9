'use client';

import { ArrowLeftRight, Flower2, X } from 'lucide-react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toast } from '@/components/ui/toaster';
import { measureClockOffset } from '@/lib/checkin/client/clock';
import { createCodeDeduper } from '@/lib/checkin/client/dedupe';
import { LAST_VENUE_KEY } from '@/lib/checkin/client/last-venue';
import { useWakeLock } from '@/lib/checkin/client/wake-lock';
import { CameraView } from './camera-view';
import { fetchSummary, resolveCode, submitCheckin, type Preview, type Summary } from './door-api';
import { DoorSummary } from './door-summary';
import { ScanResult } from './scan-result';
import { TemperatureEntry } from './temperature-entry';
import { TypedCodeForm } from './typed-code-form';

type Current = { code: string; method: 'scan' | 'typed'; preview: Preview };

/** The door: scan (or type) → result at once → temperature → saved, and ready for the next person. */
export function Scanner({ venue }: { venue: { id: string; name: string } }) {
  const t = useTranslations('door');
  const tq = useTranslations('quick');
  const [current, setCurrent] = useState<Current | null>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const offset = useRef(0);
  const deduper = useRef(createCodeDeduper(5000));
  const resolving = useRef<string | null>(null);
  useWakeLock();

  const refreshSummary = useCallback(async () => setSummary(await fetchSummary(venue.id)), [venue.id]);

  useEffect(() => {
    localStorage.setItem(LAST_VENUE_KEY, venue.id);
    measureClockOffset().then((o) => (offset.current = o ?? 0));
    void refreshSummary();
  }, [venue.id, refreshSummary]);

  const errorText = useCallback(
    (error: string, seconds?: number) => (t.has(`errors.${error}`) ? t(`errors.${error}` as 'errors.unknown', { seconds: seconds ?? 0 }) : t('errors.unknown')),
    [t],
  );

  const take = useCallback(
    async (code: string, method: 'scan' | 'typed') => {
      if (resolving.current === code) return;
      resolving.current = code;
      setMessage(null);
      setChecking(true);
      const result = await resolveCode(venue.id, code, method);
      setChecking(false);
      resolving.current = null;
      if (result.ok) setCurrent({ code, method, preview: result.value });
      else {
        setCurrent(null);
        setMessage(errorText(result.failure.error, result.failure.retryAfterSeconds));
        if (typeof navigator !== 'undefined') navigator.vibrate?.(300);
      }
    },
    [venue.id, errorText],
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
    const result = await submitCheckin({
      clientId: crypto.randomUUID(),
      venueId: venue.id,
      method: current.method,
      code: current.code,
      temperature,
      scannedAt: Date.now(),
      clockOffsetMs: offset.current,
    });
    setBusy(false);
    if (!result.ok) return setMessage(errorText(result.failure.error, result.failure.retryAfterSeconds));
    const { record } = result.value;
    const text = (record.fever ? t('savedFever', { name: record.person.nameMasked, temp: record.temperature }) : t('saved', { name: record.person.nameMasked, temp: record.temperature }));
    if (record.fever) toast.error(text);
    else toast.success(text);
    setCurrent(null);
    void refreshSummary();
  }

  return (
    <div className="mx-auto max-w-lg space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h1 className="min-w-0 truncate text-xl font-semibold" data-testid="scanner-venue">
          {venue.name}
        </h1>
        <Link href="/checker" className="inline-flex shrink-0 items-center gap-1 text-brand-600">
          <ArrowLeftRight aria-hidden size={18} />
          {t('changeVenue')}
        </Link>
      </div>
      <Link href={`/checker/quick?v=${venue.id}`} className="flex h-14 items-center justify-center gap-2 rounded-2xl bg-amber-400 text-lg font-semibold text-amber-950 shadow-sm" data-testid="open-quick">
        <Flower2 aria-hidden size={24} />
        {tq('open')}
      </Link>
      <CameraView onDetected={onDetected} />
      <div aria-live="assertive">
        {message && (
          <div role="alert" className="flex items-start gap-2 rounded-2xl bg-amber-100 p-4 text-lg font-semibold text-amber-950" data-testid="scan-error">
            <span className="flex-1">{message}</span>
            <button type="button" aria-label={t('cancel')} onClick={() => setMessage(null)}>
              <X aria-hidden />
            </button>
          </div>
        )}
      </div>
      {current ? (
        // Full screen over the camera (which keeps running, so a different code is still taken at once).
        <div role="dialog" aria-modal="true" aria-labelledby="scan-result-title" className="fixed inset-0 z-40 overflow-y-auto bg-surface p-3" data-testid="door-panel">
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
        <TypedCodeForm busy={busy} onSubmit={(code) => void take(code, 'typed')} />
      </div>
      <DoorSummary summary={summary} />
    </div>
  );
}
