import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { RecoverForm } from './_components/recover-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('accountLife.recover'))('title') };
}

/** 找回账号 (SPEC L2): the old number is lost; a new number's code plus the own person's document and name. */
export default async function RecoverPage() {
  const t = await getTranslations('accountLife.recover');
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="mb-5 mt-1 text-muted">{t('intro')}</p>
      <RecoverForm />
    </Card>
  );
}
