import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/require-user';
import { FindVenueForm } from './_components/find-venue-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('join'))('title') };
}

export default async function JoinPage() {
  await requireUser('/join');
  const t = await getTranslations('join');
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="mb-5 mt-1 text-muted">{t('intro')}</p>
      <FindVenueForm />
    </Card>
  );
}
