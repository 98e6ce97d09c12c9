import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { alertsPageOf } from '@/lib/alerts/settings';
import { requireUser } from '@/lib/auth/require-user';
import { cn } from '@/lib/utils/cn';
import { VenueTabs } from '../_components/venue-tabs';
import { AlertsForm } from './_components/alerts-form';
import { saveAlertsAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('alerts'))('title') };
}

const STATUS_STYLE = {
  sent: 'bg-green-50 text-green-800',
  pending: 'bg-amber-50 text-amber-900',
  failed: 'bg-red-50 text-danger',
} as const;

/** 提醒设置: texts of fevers and red codes to the venue's current admin (issue #18). */
export default async function AlertsPage() {
  const user = await requireUser('/venue/alerts');
  const page = await alertsPageOf(await getDb(), user);
  if (!page) redirect('/venue');
  const [t, format] = await Promise.all([getTranslations('alerts'), getFormatter()]);
  const when = (d: Date) =>
    format.dateTime(d, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <VenueTabs current="alerts" />
      <p className="text-muted">{t('intro')}</p>
      <Card>
        <p className="mb-4 rounded-xl bg-brand-50 p-3" data-testid="alerts-phone">
          {t('phone', { phone: page.maskedPhone })}
        </p>
        <AlertsForm action={saveAlertsAction} initialValues={page.form} />
      </Card>
      <Card className="p-2">
        <h2 className="px-3 pt-2 font-semibold">{t('recentTitle')}</h2>
        <p className="px-3 text-sm text-muted">{t('rules')}</p>
        {page.recent.length === 0 ? (
          <p className="p-3 text-muted">{t('recentNone')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="alerts-recent">
            {page.recent.map((m) => (
              <li key={m.id} className="flex items-center justify-between gap-3 p-3">
                <div className="min-w-0">
                  <p className="font-medium">{t('counts', { fevers: m.fevers, reds: m.reds })}</p>
                  <p className="text-sm text-muted">{when(m.sentAt ?? m.createdAt)}</p>
                </div>
                <span className={cn('shrink-0 rounded-full px-3 py-1 text-sm font-medium', STATUS_STYLE[m.status])}>
                  {t(`status.${m.status}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
