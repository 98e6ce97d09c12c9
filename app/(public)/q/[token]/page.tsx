import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { openQuickToken } from '@/lib/checkin/quick-checkin';
import { codeKeysFromEnv } from '@/lib/health-code/token';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('quick'))('visitTitle') };
}

/**
 * Opened by a visitor's camera app from the sunflower code (any browser, its own cookies). The token is
 * checked now; a valid one turns into a visit ticket that survives signing in for 10 minutes.
 */
export default async function QuickTokenPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await openQuickToken(await getDb(), codeKeysFromEnv(), decodeURIComponent(token).slice(0, 300));
  if (opened.ok) redirect(`/q/v/${opened.ticket}`);
  const t = await getTranslations('quick');
  return (
    <Card className="mx-auto max-w-md text-center" data-testid="quick-error">
      <h1 className="text-xl font-semibold">{t('visitTitle')}</h1>
      <p role="alert" className="mt-3 text-lg font-medium text-danger">
        {t(`errors.${opened.reason}`)}
      </p>
    </Card>
  );
}
