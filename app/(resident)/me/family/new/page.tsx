import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/require-user';
import { PersonForm } from '../../_components/person-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('person'))('familyTitle') };
}

export default async function AddFamilyMemberPage() {
  await requireUser('/me/family/new');
  const t = await getTranslations('person');
  return (
    <Card className="mx-auto max-w-lg">
      <h1 className="text-2xl font-semibold">{t('familyTitle')}</h1>
      <p className="mb-5 mt-1 text-muted">{t('familyIntro')}</p>
      <PersonForm relation="family" />
    </Card>
  );
}
