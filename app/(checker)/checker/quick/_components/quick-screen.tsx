'use client';

import { ArrowLeft, DoorOpen, Radio, TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { useWakeLock } from '@/lib/checkin/client/wake-lock';
import { useLiveTopic } from '@/lib/live/live-provider';
import { quickCodeAction } from '../actions';
import { SunflowerFrame } from './sunflower-frame';

type Summary = { count: number; recent: { id: string; nameMasked: string; colour: string; at: string }[] };
const REFRESH_MS = 5 * 60 * 1000;

type Entrance = { id: string; name: string; fellBack: boolean };

/**
 * V10: the sunflower code for this checker at this venue and entrance, refreshed by itself; live count and
 * red alerts. Laid out for a 390×844 phone: the QR fills most of the width, the count sits above it.
 */
export function QuickScreen({ venue, entrance }: { venue: { id: string; name: string }; entrance: Entrance }) {
  const t = useTranslations('quick');
  const ts = useTranslations('sunflower');
  const format = useFormatter();
  const router = useRouter();
  const [code, setCode] = useState<{ url: string; qr: string; expiresAt: string } | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [alerts, setAlerts] = useState<{ name: string; at: string }[]>([]);
  useWakeLock();

  useEffect(() => {
    let stop = false;
    const load = async () => {
      const result = await quickCodeAction(venue.id, entrance.id);
      if (stop) return;
      if (result.ok) setCode(result);
      else if (result.reason === 'unknown_entrance') router.refresh();
      else if (result.reason === 'venue_closed') {
        // SPEC L3: no code for a closed venue stays on screen; the page says why.
        setCode(null);
        router.refresh();
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [venue.id, entrance.id, router]);

  const connected = useLiveTopic(`checker:${venue.id}`, {
    summary: (data) => setSummary(data as Summary),
    // The stream ended for good (signed out, removed from the venue): the page re-renders as it now is.
    end: () => router.refresh(),
    alert: (data) => {
      setAlerts((a) => [data as { name: string; at: string }, ...a].slice(0, 5));
      navigator.vibrate?.([300, 100, 300]);
    },
  });

  return (
    <div className="mx-auto max-w-lg space-y-4">
      <div className="flex items-center justify-between gap-3">
        <Link href={`/checker/scan?v=${venue.id}`} className="inline-flex items-center gap-1 text-brand-600">
          <ArrowLeft aria-hidden size={18} />
          {t('back')}
        </Link>
        <span className="inline-flex items-center gap-1 text-sm text-muted" role="status">
          <Radio aria-hidden size={16} className={connected ? 'text-ok' : 'text-muted'} />
          {connected ? t('live') : t('connecting')}
        </span>
      </div>
      {alerts.map((a) => (
        <div
          key={a.at + a.name}
          role="alert"
          className="flex items-center gap-3 rounded-2xl bg-danger p-4 text-lg font-semibold text-white"
          data-testid="quick-alert"
        >
          <TriangleAlert aria-hidden size={28} />
          <span className="flex-1">{t('alertRed', { name: a.name })}</span>
          <button
            type="button"
            onClick={() => setAlerts((all) => all.filter((x) => x !== a))}
            className="rounded-lg bg-white/20 px-3 py-1 text-base"
          >
            {t('dismiss')}
          </button>
        </div>
      ))}
      <section className="rounded-3xl bg-white px-3 py-4 text-center shadow-md sm:p-6">
        <h1 className="text-balance text-xl font-bold sm:text-2xl">{t('title')}</h1>
        <p className="mt-1 flex flex-wrap items-center justify-center gap-x-2 text-lg font-semibold text-brand-700">
          <span data-testid="quick-venue">{venue.name}</span>
          <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2 text-base" data-testid="quick-entrance">
            <DoorOpen aria-hidden size={16} />
            {entrance.name}
          </span>
        </p>
        {entrance.fellBack && (
          <p className="mt-1 text-sm text-amber-800" role="status" data-testid="quick-entrance-fallback">
            {ts('fellBack')}
          </p>
        )}
        <p
          className="mx-auto mt-2 flex max-w-sm items-baseline justify-center gap-2 rounded-2xl bg-amber-50 px-4 py-1.5"
          data-testid="quick-count-line"
        >
          <span className="text-base">{ts('countToday')}</span>
          <span className="text-3xl font-bold tabular-nums" data-testid="quick-count">
            {summary?.count ?? 0}
          </span>
          <span className="text-base">{ts('countUnit', { count: summary?.count ?? 0 })}</span>
        </p>
        {code ? (
          <>
            <div className="mt-2">
              <SunflowerFrame qrDataUrl={code.qr} alt={t('title')} />
            </div>
            <p className="mt-1 text-sm text-muted">{ts('linkHint')}</p>
            <p className="break-all font-mono text-sm font-semibold tracking-tight text-ink" data-testid="quick-link">
              {code.url}
            </p>
            <p className="text-sm text-muted">
              {t('validUntil', { time: format.dateTime(new Date(code.expiresAt), { hour: '2-digit', minute: '2-digit', hour12: false }) })}
              {' · '}
              {t('refreshing')}
            </p>
          </>
        ) : (
          <div className="mx-auto mt-2 aspect-square w-full max-w-[26rem] animate-pulse rounded-3xl bg-amber-100" />
        )}
        <p className="mt-2 text-base">{t('intro')}</p>
      </section>
      <section className="rounded-2xl bg-white p-4 shadow-sm">
        <h2 className="font-semibold">{t('latest')}</h2>
        {!summary || summary.recent.length === 0 ? (
          <p className="text-muted">{t('none')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="quick-recent">
            {summary.recent.map((r) => (
              <li key={r.id} className="flex items-center gap-3 py-2">
                <span className={r.colour === 'red' ? 'h-3 w-3 rounded-full bg-danger' : 'h-3 w-3 rounded-full bg-ok'} aria-hidden />
                <span className="flex-1">{r.nameMasked}</span>
                <time className="text-sm tabular-nums text-muted">
                  {format.dateTime(new Date(r.at), { hour: '2-digit', minute: '2-digit', hour12: false })}
                </time>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
