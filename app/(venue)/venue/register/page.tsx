import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { venueOfAdmin } from '@/db/queries/venues';
import { requireUser } from '@/lib/auth/require-user';
import { regionPickerLevels } from '@/lib/regions/picker-levels';
import { VenueForm } from '../_components/venue-form';
import { registerVenueAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('venue'))('registerTitle') };
}

export default async function RegisterVenuePage() {
  const user = await requireUser('/venue/register');
  if (await venueOfAdmin(await getDb(), user.accountId)) redirect('/venue');
  const t = await getTranslations('venue');
  return (
    <Card className="mx-auto max-w-lg">
      <h1 className="text-2xl font-semibold">{t('registerTitle')}</h1>
      <p className="mb-5 mt-1 text-muted">{t('registerIntro')}</p>
      <VenueForm action={registerVenueAction} initialValues={{}} regionLevels={regionPickerLevels(null)} submitLabel={t('submit')} />
    </Card>
  );
}
