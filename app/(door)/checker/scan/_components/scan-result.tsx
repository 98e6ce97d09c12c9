'use client';

import { CircleCheck, CircleHelp, TriangleAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { isRedReason } from '@/lib/health-code/colours';
import { cn } from '@/lib/utils/cn';
import type { Preview } from './door-api';

/** The scan result, at once and full width: colour with icon and words, masked name, gender, age band; red reason and guidance (V9, V13). */
export function ScanResult({ preview }: { preview: Preview | null }) {
  const t = useTranslations();
  if (!preview) return <OfflineResult />;
  const red = preview.status.colour === 'red';
  return (
    <section
      className={cn('rounded-2xl p-4 text-white', red ? 'bg-danger' : 'bg-ok')}
      data-testid="scan-result"
      data-colour={preview.status.colour}
    >
      <div className="flex items-center gap-3">
        {red ? <TriangleAlert aria-hidden size={44} /> : <CircleCheck aria-hidden size={44} />}
        <div>
          <p id="scan-result-title" className="text-3xl font-bold">
            {red ? t('door.red') : t('door.green')}
          </p>
          <p className="text-xl">
            <span className="font-semibold">{preview.person.nameMasked}</span> · {t(`door.gender.${preview.person.gender}`)} ·{' '}
            {t('door.ageBand', { band: preview.person.ageBand })}
          </p>
        </div>
      </div>
      {red && preview.status.reason && (
        <div className="mt-3 rounded-xl bg-white p-3 text-ink" data-testid="scan-red-reason">
          <p className="text-lg font-semibold text-danger">
            {t('door.redReason', { reason: isRedReason(preview.status.reason) ? t(`healthCode.reasons.${preview.status.reason}`) : '' })}
          </p>
          <p className="mt-1 text-sm text-muted">{t('door.redGuidance')}</p>
          <p className="mt-1">{isRedReason(preview.status.reason) ? t(`healthCode.guidance.${preview.status.reason}`) : ''}</p>
        </div>
      )}
    </section>
  );
}

/** Offline: the colour is decided by the server at the record's effective time; the record is still taken. */
function OfflineResult() {
  const t = useTranslations('door.offline');
  return (
    <section className="rounded-2xl bg-slate-700 p-4 text-white" data-testid="scan-result" data-colour="unknown">
      <div className="flex items-center gap-3">
        <CircleHelp aria-hidden size={44} className="shrink-0" />
        <div>
          <p id="scan-result-title" className="text-3xl font-bold">
            {t('colour')}
          </p>
          <p className="text-lg">{t('colourHint')}</p>
        </div>
      </div>
    </section>
  );
}
