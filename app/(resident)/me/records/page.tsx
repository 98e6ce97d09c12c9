import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { recordsOfPersons } from '@/db/queries/checkins';
import { personsOfAccount } from '@/db/queries/persons';
import { requireUser } from '@/lib/auth/require-user';
import { formatTemperature } from '@/lib/checkin/temperature';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { cn } from '@/lib/utils/cn';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('records'))('title') };
}

/** H6 / My health code information: the temperature records of the account's own person and of the family it guards. */
export default async function MyRecordsPage() {
  const user = await requireUser('/me/records');
  const db = await getDb();
  const [t, format, persons] = await Promise.all([getTranslations('records'), getFormatter(), personsOfAccount(db, user.accountId)]);
  const keys = fieldKeysFromEnv();
  const names = new Map(persons.map((p) => [p.id, decryptField(keys, p.nameEnc)]));
  const records = await recordsOfPersons(
    db,
    persons.map((p) => p.id),
  );
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-muted">{t('subtitle')}</p>
      </div>
      <Card className="p-2">
        {records.length === 0 ? (
          <p className="p-4 text-muted">{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-line" data-testid="my-records">
            {records.map((r) => (
              <li key={r.id} className="flex items-center gap-3 p-3">
                <div className="min-w-0 flex-1">
                  <p className="font-medium">{r.venueName}</p>
                  <p className="text-sm text-muted">
                    {r.personId ? names.get(r.personId) : ''} ·{' '}
                    {format.dateTime(r.effectiveAt, { dateStyle: 'medium', timeStyle: 'short' })}
                  </p>
                </div>
                <span className={cn('text-right tabular-nums', r.fever ? 'font-semibold text-danger' : 'text-ink')}>
                  {r.temperatureDeci === null ? t('quick') : `${formatTemperature(r.temperatureDeci)}°C`}
                  {r.fever && <span className="block text-sm">{t('fever')}</span>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
