'use client';

import { CloudUpload, Info, LogIn, TriangleAlert, Wifi, WifiOff, X } from 'lucide-react';
import { useFormatter, useTranslations } from 'next-intl';
import { useFlaggedRecords } from '@/lib/checkin/client/flagged-records';
import type { QueuedRecord } from '@/lib/checkin/client/queue';
import { cn } from '@/lib/utils/cn';
import type { Session } from './door-shell';
import { errorMessage } from '@/lib/i18n/message-of';

export type QueueView = { pending: number; rejected: QueuedRecord[]; otherPending: number };
export type RedAlert = { clientId: string; nameMasked: string; at: string };

/**
 * Always on screen: online or not, how many records wait on this device, and what needs the checker:
 * sign in again, records refused by the server (kept and explained until read), red codes found while
 * syncing, and records stored with a note (taken before a code re-issue or the end of the binding, sent after).
 */
export function QueueStatus({
  session,
  view,
  phoneMasked,
  signInUrl,
  redAlerts,
  onDismissRed,
  onDismissRejected,
}: {
  session: Session;
  view: QueueView;
  phoneMasked: string;
  signInUrl: string;
  redAlerts: RedAlert[];
  onDismissRed: (clientId: string) => void;
  onDismissRejected: (clientId: string) => void;
}) {
  const t = useTranslations('door.queue');
  const td = useTranslations('doorTruth');
  const tr = useTranslations();
  const { flagged, dismiss: dismissFlagged } = useFlaggedRecords();
  // A queued record is judged as of its scan: say so, rather than the live scan's "show the new code".
  const refusal = (error?: string) =>
    error === 'superseded' || error === 'not_checker'
      ? td(`rejected.${error}`)
      : errorMessage(tr, ['door.errors', 'venueClose.door'], error, { seconds: 0 });
  const format = useFormatter();
  const time = (ms: number | string) =>
    format.dateTime(new Date(ms), { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2 text-base">
        <span
          className={cn(
            'inline-flex items-center gap-1 rounded-full px-3 py-1 font-medium',
            session === 'ok' ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-950',
          )}
          data-testid="door-connection"
          data-state={session}
        >
          {session === 'ok' ? <Wifi aria-hidden size={16} /> : <WifiOff aria-hidden size={16} />}
          {t(`session.${session}`)}
        </span>
        <span
          className={cn(
            'inline-flex items-center gap-1 rounded-full px-3 py-1 font-medium',
            view.pending > 0 ? 'bg-brand-600 text-white' : 'bg-white text-muted',
          )}
          role="status"
          data-testid="queue-pending"
          data-count={view.pending}
        >
          <CloudUpload aria-hidden size={16} />
          {view.pending > 0 ? t('pending', { count: view.pending }) : t('allSent')}
        </span>
      </div>
      {session === 'offline' && <p className="rounded-xl bg-amber-50 p-3 text-amber-950">{t('offlineBanner')}</p>}
      {session === 'expired' && (
        <div role="alert" className="rounded-xl bg-amber-100 p-3 text-amber-950" data-testid="queue-sign-in">
          <p>{t('signInAgain', { phone: phoneMasked, count: view.pending })}</p>
          <a href={signInUrl} className="mt-2 inline-flex h-11 items-center gap-2 rounded-lg bg-brand-600 px-4 font-semibold text-white">
            <LogIn aria-hidden size={18} />
            {t('signInButton')}
          </a>
        </div>
      )}
      {view.otherPending > 0 && <p className="rounded-xl bg-white p-3 text-muted">{t('otherAccount', { count: view.otherPending })}</p>}
      {redAlerts.map((a) => (
        <div
          key={a.clientId}
          role="alert"
          className="flex items-start gap-2 rounded-2xl bg-danger p-4 text-lg font-semibold text-white"
          data-testid="queue-red-alert"
        >
          <TriangleAlert aria-hidden className="mt-1 shrink-0" />
          <span className="flex-1">{t('redSynced', { name: a.nameMasked, time: time(a.at) })}</span>
          <button type="button" aria-label={t('dismiss')} onClick={() => onDismissRed(a.clientId)}>
            <X aria-hidden />
          </button>
        </div>
      ))}
      {flagged.length > 0 && (
        <section className="rounded-2xl border-2 border-amber-400 bg-amber-50 p-3 text-amber-950" data-testid="queue-flagged" role="status">
          <h2 className="flex items-center gap-2 font-semibold">
            <Info aria-hidden size={18} className="shrink-0" />
            {td('flaggedTitle', { count: flagged.length })}
          </h2>
          <p className="text-sm">{td('flaggedHint')}</p>
          <ul className="mt-2 divide-y divide-amber-200">
            {flagged.map((f) => (
              <li key={f.clientId} className="flex items-center gap-2 py-2" data-testid="queue-flagged-item" data-flags={f.flags.join(' ')}>
                <span className="min-w-0 flex-1">
                  <span className="block">
                    {time(f.effectiveAt)} · <span className="font-semibold">{f.nameMasked}</span>
                    {f.temperature ? ` · ${f.temperature}°C` : ''}
                  </span>
                  {f.flags.map((flag) => (
                    <span key={flag} className="block font-semibold">
                      {td(`flags.${flag}`)}
                    </span>
                  ))}
                </span>
                <button
                  type="button"
                  className="h-10 shrink-0 rounded-lg px-3 text-brand-600 hover:bg-white"
                  onClick={() => dismissFlagged(f.clientId)}
                >
                  {t('dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.rejected.length > 0 && (
        <section className="rounded-2xl bg-white p-3 shadow-sm" data-testid="queue-rejected">
          <h2 className="font-semibold text-danger">{t('rejectedTitle', { count: view.rejected.length })}</h2>
          <p className="text-sm text-muted">{t('rejectedHint')}</p>
          <ul className="mt-2 divide-y divide-line">
            {view.rejected.map((r) => (
              <li key={r.clientId} className="flex items-center gap-2 py-2">
                <span className="flex-1">
                  {time(r.payload.scannedAt)} · {r.payload.temperature ? `${r.payload.temperature}°C` : ''} ·{' '}
                  <span data-testid="queue-rejected-reason" data-reason={r.error}>
                    {refusal(r.error)}
                  </span>
                </span>
                <button
                  type="button"
                  className="h-10 rounded-lg px-3 text-brand-600 hover:bg-brand-50"
                  onClick={() => onDismissRejected(r.clientId)}
                >
                  {t('dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
