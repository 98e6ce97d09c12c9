import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ComingSoon } from '@/components/coming-soon';
import { requireUser } from '@/lib/auth/require-user';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('me') };
}

export default async function Page() {
  await requireUser('/me');
  const t = await getTranslations('nav');
  return <ComingSoon feature={t('me')} />;
}
