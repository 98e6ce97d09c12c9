import { Lock, Plus } from 'lucide-react';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { formatRegion } from '@/lib/regions/divisions';
import { UnbindButton } from './unbind-button';
import { messageOf } from '@/lib/i18n/message-of';

type Binding = { venueId: string; venueName: string; venueType: string; townshipCode: string; boundFrom: Date | null; requestedAt: Date };
type ClosedBinding = { venueId: string; venueName: string; venueType: string; closedAt: Date | null };

/** V11: the venues this account checks at, with bind more and unbind. */
export async function CheckerVenues({ bindings, closed = [] }: { bindings: Binding[]; closed?: ClosedBinding[] }) {
  const [t, tv, tr, format] = await Promise.all([
    getTranslations('venue'),
    getTranslations('venueClose'),
    getTranslations(),
    getFormatter(),
  ]);
  return (
    <section aria-labelledby="checker-venues" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="checker-venues" className="text-lg font-semibold">
          {t('checkerSection')}
        </h2>
        <Link href="/join" className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
          <Plus aria-hidden size={16} />
          {t('bindMore')}
        </Link>
      </div>
      <Card className="p-2">
        {bindings.length === 0 ? (
          <p className="p-3 text-muted">{t('checkerEmpty')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="checker-venues">
            {bindings.map((b) => (
              <li key={b.venueId} className="flex items-center gap-3 p-3">
                <div className="min-w-0 flex-1">
                  <p className="text-lg font-medium">{b.venueName}</p>
                  <p className="text-sm text-muted">
                    {messageOf(tr, 'venue.types', b.venueType, 'other')} · {formatRegion(b.townshipCode)}
                  </p>
                  <p className={b.boundFrom ? 'text-sm text-ok' : 'text-sm font-medium text-amber-700'}>
                    {b.boundFrom
                      ? `${t('statusActive')} · ${t('boundSince', { date: format.dateTime(b.boundFrom, { dateStyle: 'medium' }) })}`
                      : t('statusPending')}
                  </p>
                </div>
                <UnbindButton venueId={b.venueId} name={b.venueName} />
              </li>
            ))}
          </ul>
        )}
      </Card>
      {closed.length > 0 && (
        // SPEC L3: a venue that closed is no longer a place to check at; said once, apart, for 30 days.
        <div className="space-y-2" data-testid="checker-closed-venues">
          <h3 className="text-base font-semibold text-muted">{tv('checkerClosedTitle')}</h3>
          <ul className="space-y-1">
            {closed.map((c) => (
              <li key={c.venueId} className="flex items-start gap-2 rounded-xl bg-white px-3 py-2 text-muted">
                <Lock aria-hidden size={16} className="mt-1 shrink-0" />
                <span>
                  <span className="font-medium text-ink">{c.venueName}</span> · {messageOf(tr, 'venue.types', c.venueType, 'other')} ·{' '}
                  {tv('checkerClosedLine', { date: format.dateTime(c.closedAt ?? new Date(), { dateStyle: 'medium' }) })}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
