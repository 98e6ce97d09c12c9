'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Button, buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations('errors');
  return (
    // Shown inside the root layout only (the group's frame may be what failed).
    <main id="main" className="mx-auto max-w-5xl px-4 pt-10">
      <Card className="mx-auto max-w-md text-center" role="alert">
        <h1 className="text-xl font-semibold">{t('genericTitle')}</h1>
        <p className="mt-2 text-muted">{t('genericBody')}</p>
        <div className="mt-5 flex justify-center gap-2">
          <Button onClick={reset}>{t('retry')}</Button>
          <Link href="/" className={buttonVariants({ variant: 'secondary' })}>
            {t('home')}
          </Link>
        </div>
      </Card>
    </main>
  );
}
