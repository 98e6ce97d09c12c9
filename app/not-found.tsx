import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { SiteChrome } from '@/components/shell/site-chrome';
import { Card } from '@/components/ui/card';

export default async function NotFound() {
  const t = await getTranslations('errors');
  return (
    <SiteChrome>
      <Card className="mx-auto max-w-md text-center">
      <h1 className="text-xl font-semibold">{t('notFoundTitle')}</h1>
      <p className="mt-2 text-muted">{t('notFoundBody')}</p>
      <Link href="/" className={buttonVariants({ className: 'mt-5' })}>
        {t('home')}
        </Link>
      </Card>
    </SiteChrome>
  );
}
