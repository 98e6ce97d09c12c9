import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { openQuickToken } from '@/lib/checkin/quick-checkin';
import { isLongQuickToken, openQuickLink, quickLinkLimitsFromEnv } from '@/lib/checkin/quick-link';
import { codeKeysFromEnv } from '@/lib/health-code/token';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('quick'))('visitTitle') };
}

/**
 * Opened by a visitor's camera app from the sunflower code (any browser, its own cookies): the short link
 * /q/<short id> the QR encodes, or the long token of codes shown before short links existed. Either is
 * checked now; a valid one turns into a visit ticket that survives signing in for 10 minutes.
 */
export default async function QuickTokenPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const text = decodeURIComponent(token).slice(0, 300);
  const db = await getDb();
  const keys = codeKeysFromEnv();
  const opened = isLongQuickToken(text)
    ? await openQuickToken(db, keys, text)
    : await openQuickLink(db, keys, text, clientIp(await headers()), quickLinkLimitsFromEnv());
  if (opened.ok) redirect(`/q/v/${opened.ticket}`);
  const [t, ts, tv] = await Promise.all([getTranslations('quick'), getTranslations('sunflower'), getTranslations('venueClose')]);
  return (
    <Card className="mx-auto max-w-md text-center" data-testid="quick-error">
      <h1 className="text-xl font-semibold">{t('visitTitle')}</h1>
      <p role="alert" className="mt-3 text-lg font-medium text-danger">
        {opened.reason === 'rate_limited'
          ? ts('errors.rate_limited', { seconds: opened.retryAfterSeconds })
          : opened.reason === 'venue_closed'
            ? tv('quick.venue_closed')
            : t(`errors.${opened.reason}`)}
      </p>
    </Card>
  );
}
