import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { venueOfAdmin } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { regionPickerLevels } from '@/lib/regions/picker-levels';
import { nextInfoEditAllowedAt } from '@/lib/venues/edit-venue';
import { VenueForm } from '../_components/venue-form';
import { VenueTabs } from '../_components/venue-tabs';
import { editVenueAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('venue'))('edit') };
}

export default async function EditVenuePage() {
  const user = await requireUser('/venue/edit');
  const db = await getDb();
  const venue = await venueOfAdmin(db, user.accountId);
  if (!venue) redirect('/venue');
  const [t, format, nextAllowed] = await Promise.all([getTranslations('venue'), getFormatter(), nextInfoEditAllowedAt(db, venue.id)]);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('edit')}</h1>
      <VenueTabs current="edit" />
      <Card className="mx-auto max-w-lg">
        <p className="mb-4 text-muted">{t('editIntro')}</p>
        {nextAllowed ? (
          <p className="rounded-xl bg-amber-50 p-4 text-amber-900" data-testid="edit-locked">
            {t('editLocked', { date: format.dateTime(nextAllowed, { dateStyle: 'full' }) })}
          </p>
        ) : (
          <VenueForm
            action={editVenueAction}
            initialValues={{
              name: venue.name,
              type: venue.type,
              townshipCode: venue.townshipCode,
              address: venue.address,
              contactPhone: venue.contactPhone,
            }}
            regionLevels={regionPickerLevels(venue.townshipCode)}
            submitLabel={t('save')}
          />
        )}
      </Card>
    </div>
  );
}
