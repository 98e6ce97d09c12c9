import { ArrowLeft, Lock } from 'lucide-react';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';

/** SPEC L3: on a closed venue's statistics, instead of the open venue's tabs: closed since when, and the way back. */
export async function ClosedVenueBanner({ closedAt }: { closedAt: Date }) {
  const [t, format] = await Promise.all([getTranslations('venueClose'), getFormatter()]);
  return (
    <div className="space-y-2" data-testid="closed-venue-banner">
      <Link href="/venue" className="inline-flex items-center gap-1 text-brand-600">
        <ArrowLeft aria-hidden size={18} />
        {t('backToMyVenue')}
      </Link>
      <p role="status" className="flex items-start gap-2 rounded-xl bg-amber-50 px-3 py-2 text-amber-900">
        <Lock aria-hidden size={18} className="mt-0.5 shrink-0" />
        {t('statsClosedNote', { date: format.dateTime(closedAt, { dateStyle: 'long' }) })}
      </p>
    </div>
  );
}
