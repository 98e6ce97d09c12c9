'use client';

import { ChevronRight, ScanLine } from 'lucide-react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { LAST_VENUE_KEY } from '@/lib/checkin/client/last-venue';
import { registerServiceWorker } from '@/lib/pwa/register';
import { cn } from '@/lib/utils/cn';

type Choice = { id: string; name: string; detail: string };

/** The active venues, the one used last on this device first. */
export function VenueChoices({ venues }: { venues: Choice[] }) {
  const t = useTranslations('door');
  const [last, setLast] = useState<string | null>(null);
  useEffect(() => {
    setLast(localStorage.getItem(LAST_VENUE_KEY));
    registerServiceWorker(); // the scanner shell is kept for offline use from the first visit here
  }, []);
  const sorted = [...venues].sort((a, b) => Number(b.id === last) - Number(a.id === last));
  return (
    <ul className="space-y-3" data-testid="venue-choices">
      {sorted.map((v) => (
        <li key={v.id}>
          <Link
            href={`/checker/scan?v=${v.id}`}
            className={cn(
              'flex items-center gap-4 rounded-2xl border bg-white p-4 shadow-sm hover:border-brand-500',
              v.id === last ? 'border-brand-600 ring-2 ring-brand-100' : 'border-line',
            )}
          >
            <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded-xl bg-brand-50 text-brand-600">
              <ScanLine aria-hidden size={28} />
            </span>
            <span className="min-w-0 flex-1">
              <span className="block text-lg font-semibold">{v.name}</span>
              <span className="block text-sm text-muted">{v.detail}</span>
              {v.id === last && (
                <span className="mt-1 inline-block rounded-full bg-brand-50 px-2 text-xs text-brand-700">{t('lastUsed')}</span>
              )}
            </span>
            <span className="flex items-center gap-1 font-medium text-brand-600">
              {t('open')}
              <ChevronRight aria-hidden size={20} />
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
