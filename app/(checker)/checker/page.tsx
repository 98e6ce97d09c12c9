import { Plus } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { formatRegion } from '@/lib/regions/divisions';
import { myCheckerVenues } from '@/lib/venues/checkers';
import { VenueChoices } from './_components/venue-choices';
import { messageOf } from '@/lib/i18n/message-of';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('door'))('title') };
}

/** Temperature Check: the checker picks one of their active venues (remembered on the device) and opens the scanner. */
export default async function CheckerPage() {
  const user = await requireUser('/checker');
  const [t, tr, bindings] = await Promise.all([getTranslations('door'), getTranslations(), myCheckerVenues(await getDb(), user)]);
  const active = bindings.filter((b) => b.boundFrom);
  const pending = bindings.filter((b) => !b.boundFrom);
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">{t('pickVenue')}</h1>
      {active.length === 0 ? (
        <Card className="space-y-3">
          <p className="text-muted">{t('noVenues')}</p>
        </Card>
      ) : (
        <>
          <p className="text-muted">{t('pickVenueHint')}</p>
          <VenueChoices
            venues={active.map((b) => ({
              id: b.venueId,
              name: b.venueName,
              detail: `${messageOf(tr, 'venue.types', b.venueType, 'other')} · ${formatRegion(b.townshipCode)}`,
            }))}
          />
        </>
      )}
      {pending.length > 0 && (
        <Card>
          <h2 className="font-semibold">{t('pendingVenues')}</h2>
          <ul className="mt-2 space-y-1 text-muted">
            {pending.map((b) => (
              <li key={b.venueId}>{b.venueName}</li>
            ))}
          </ul>
        </Card>
      )}
      <Link href="/join" className={buttonVariants({ variant: 'secondary', size: 'lg', className: 'w-full' })}>
        <Plus aria-hidden size={20} />
        {t('bind')}
      </Link>
    </div>
  );
}
