import { BarChart3, Lock } from 'lucide-react';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { messageOf } from '@/lib/i18n/message-of';
import { reopenDeadline } from '@/lib/venues/close-venue';
import { ReopenButton } from './reopen-button';

type Closed = { id: string; name: string; type: string; closedAt: Date | null };

/**
 * SPEC L3: the admin's closed venues: their statistics stay readable (by id), and each may be reopened
 * within 30 days when the admin has no open venue.
 */
export async function ClosedVenues({ venues, hasOpenVenue, now }: { venues: Closed[]; hasOpenVenue: boolean; now: Date }) {
  if (venues.length === 0) return null;
  const [t, tr, format] = await Promise.all([getTranslations('venueClose'), getTranslations(), getFormatter()]);
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'medium' });
  return (
    <section aria-labelledby="closed-venues" className="space-y-3">
      <h2 id="closed-venues" className="text-lg font-semibold">
        {t('closedTitle')}
      </h2>
      <Card className="p-2">
        <ul className="divide-y divide-line" data-testid="closed-venues">
          {venues.map((v) => {
            const deadline = reopenDeadline(v.closedAt!);
            const canReopen = now < deadline;
            return (
              <li key={v.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
                <div className="min-w-0 flex-1">
                  <p className="flex items-center gap-2 text-lg font-medium">
                    <Lock aria-hidden size={16} className="shrink-0 text-muted" />
                    <span className="break-all">{v.name}</span>
                  </p>
                  <p className="text-sm text-muted">
                    {messageOf(tr, 'venue.types', v.type, 'other')} · {t('closedOn', { date: date(v.closedAt!) })}
                  </p>
                  <p className="text-sm text-muted">
                    {!canReopen ? t('reopenExpired') : hasOpenVenue ? t('reopenBlocked') : t('reopenUntil', { date: date(deadline) })}
                  </p>
                </div>
                <div className="flex shrink-0 flex-wrap gap-2">
                  <Link href={`/venue/stats?venue=${v.id}`} className={buttonVariants({ variant: 'secondary', size: 'sm' })}>
                    <BarChart3 aria-hidden size={16} />
                    {t('viewStats')}
                  </Link>
                  {canReopen && !hasOpenVenue && <ReopenButton venueId={v.id} />}
                </div>
              </li>
            );
          })}
        </ul>
      </Card>
    </section>
  );
}
