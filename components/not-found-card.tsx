import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** "This page does not exist", with the way home: the body of every not-found page. */
export async function NotFoundCard() {
  const t = await getTranslations('errors');
  return (
    <Card className="mx-auto max-w-md text-center">
      <h1 className="text-xl font-semibold">{t('notFoundTitle')}</h1>
      <p className="mt-2 text-muted">{t('notFoundBody')}</p>
      <Link href="/" className={buttonVariants({ className: 'mt-5' })}>
        {t('home')}
      </Link>
    </Card>
  );
}
