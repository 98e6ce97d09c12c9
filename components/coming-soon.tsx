import { Construction } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** Placeholder for a section whose issue has not landed yet. */
export async function ComingSoon({ feature }: { feature: string }) {
  const t = await getTranslations('comingSoon');
  return (
    <Card className="mx-auto max-w-lg text-center">
      <Construction aria-hidden className="mx-auto mb-3 text-brand-500" size={40} />
      <h1 className="text-xl font-semibold">{feature}</h1>
      <p className="mt-1 text-lg">{t('title')}</p>
      <p className="mt-2 text-muted">{t('body', { feature })}</p>
      <Link href="/" className={buttonVariants({ variant: 'secondary', className: 'mt-5' })}>
        {t('back')}
      </Link>
    </Card>
  );
}
