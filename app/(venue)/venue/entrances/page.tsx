import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { entrancesOfMyVenue } from '@/lib/venues/entrances';
import { VenueTabs } from '../_components/venue-tabs';
import { AddEntranceForm } from './_components/add-entrance-form';
import { EntranceRow } from './_components/entrance-row';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('entrances'))('title') };
}

/** 多入口: the admin names the venue's entrances; checkers pick one at the scanner; records carry it. */
export default async function EntrancesPage() {
  const user = await requireUser('/venue/entrances');
  const db = await getDb();
  const entrances = await entrancesOfMyVenue(db, user);
  if (!entrances) redirect('/venue');
  const [t, format] = await Promise.all([getTranslations('entrances'), getFormatter()]);
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'medium' });
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <VenueTabs current="entrances" />
      <p className="text-muted">{t('hint')}</p>
      <Card className="p-2">
        <h2 className="px-3 pt-2 font-semibold">
          {t('openTitle')} <span className="text-muted">({entrances.open.length})</span>
        </h2>
        <ul className="divide-y divide-line" data-testid="entrances-open">
          {entrances.open.map((e) => (
            <EntranceRow
              key={e.id}
              entrance={{ id: e.id, name: e.name ?? t('main'), isMain: e.isMain, named: e.name !== null }}
              when={t('createdAt', { date: date(e.createdAt) })}
            />
          ))}
        </ul>
      </Card>
      <Card>
        <AddEntranceForm />
      </Card>
      <Card className="p-2">
        <h2 className="px-3 pt-2 font-semibold">
          {t('removedTitle')} <span className="text-muted">({entrances.removed.length})</span>
        </h2>
        <p className="px-3 text-sm text-muted">{t('removedHint')}</p>
        {entrances.removed.length === 0 ? (
          <p className="p-3 text-muted">{t('none')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="entrances-removed">
            {entrances.removed.map((e) => (
              <li key={e.id} className="p-3">
                <p className="text-lg font-medium text-muted">{e.name}</p>
                <p className="text-sm text-muted">{t('removedAt', { date: date(e.removedAt!) })}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
