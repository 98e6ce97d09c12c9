'use client';

import { Download, Printer } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { Button, buttonVariants } from '@/components/ui/button';

export function PrintActions({ pngHref }: { pngHref: string }) {
  const t = useTranslations('printCode');
  return (
    <div className="no-print flex flex-col gap-2 sm:flex-row sm:justify-center">
      <Button size="lg" onClick={() => window.print()}>
        <Printer aria-hidden size={20} />
        {t('print')}
      </Button>
      <a href={pngHref} download className={buttonVariants({ variant: 'secondary', size: 'lg' })}>
        <Download aria-hidden size={20} />
        {t('download')}
      </a>
    </div>
  );
}
