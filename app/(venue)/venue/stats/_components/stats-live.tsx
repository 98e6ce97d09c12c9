'use client';

import { TriangleAlert } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { useLiveTopic } from '@/lib/live/live-provider';

/** Updates the dashboard when the venue's channel reports new records; raises fever alerts at once. */
export function StatsLive({ venueId }: { venueId: string }) {
  const t = useTranslations('stats');
  const router = useRouter();
  const [alerts, setAlerts] = useState<{ name: string; temp: string; checker: string; at: string }[]>([]);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The dashboard's topic on the tab's one stream (lib/live/live-provider.tsx), beside the bell's inbox.
  const connected = useLiveTopic(`admin:${venueId}`, {
    changed: () => {
      // Several events in a burst make one refresh.
      if (!pending.current) pending.current = setTimeout(() => ((pending.current = null), router.refresh()), 500);
    },
    // The stream ended for good (signed out, no longer this venue's admin): the page re-renders as it now is.
    end: () => router.refresh(),
    fever: (data) => {
      setAlerts((a) => [data as { name: string; temp: string; checker: string; at: string }, ...a].slice(0, 5));
      navigator.vibrate?.([300, 100, 300]);
    },
  });
  return (
    <div className="space-y-2">
      <p className="text-right text-sm text-muted" role="status">
        {connected ? t('liveOn') : ''}
      </p>
      {alerts.map((a) => (
        <div
          key={a.at + a.name}
          role="alert"
          className="flex items-center gap-3 rounded-2xl bg-danger p-4 font-semibold text-white"
          data-testid="fever-alert"
        >
          <TriangleAlert aria-hidden />
          <span className="flex-1">{t('feverAlert', { name: a.name, temp: a.temp, checker: a.checker })}</span>
          <button type="button" className="rounded-lg bg-white/20 px-3 py-1" onClick={() => setAlerts((x) => x.filter((y) => y !== a))}>
            {t('dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
