import { CircleCheck } from 'lucide-react';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { personOfAccount } from '@/db/queries/persons';
import { requireUser } from '@/lib/auth/require-user';
import { listCodeDisplays } from '@/lib/health-code/personal-codes';
import { isUuid } from '@/lib/utils/uuid';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('displayLog'))('title') };
}

/** H6: the last three days of a person's display log, for the person and their guardians. */
export default async function DisplayLogPage({ searchParams }: { searchParams: Promise<{ p?: string }> }) {
  const { p } = await searchParams;
  const user = await requireUser(`/me/log${p ? `?p=${encodeURIComponent(p)}` : ''}`);
  if (!isUuid(p)) notFound();
  const db = await getDb();
  const [person, entries, t, format] = await Promise.all([
    personOfAccount(db, user.accountId, p),
    listCodeDisplays(db, user, p),
    getTranslations('displayLog'),
    getFormatter(),
  ]);
  if (!person || !entries) notFound();
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-muted">{t('subtitle', { name: person.nameMasked })}</p>
      </div>
      <Card className="p-2">
        {entries.length === 0 ? (
          <p className="p-4 text-muted">{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="display-log">
            {entries.map((e, i) => (
              <li key={i} className="flex items-center gap-3 p-3">
                <CircleCheck aria-hidden className="text-ok" size={20} />
                <span className="flex-1">{e.kind === 'offline' ? t('offline') : t('personal')}</span>
                <time className="tabular-nums text-muted" dateTime={e.displayedAt.toISOString()}>
                  {format.dateTime(e.displayedAt, {
                    month: '2-digit',
                    day: '2-digit',
                    hour: '2-digit',
                    minute: '2-digit',
                    second: '2-digit',
                    hour12: false,
                  })}
                </time>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
