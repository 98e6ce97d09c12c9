import { Link2, Plus } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { personsOfAccount } from '@/db/queries/persons';
import { requireUser } from '@/lib/auth/require-user';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { RemoveFamilyButton } from './_components/remove-family-button';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('family'))('title') };
}

export default async function FamilyPage() {
  const user = await requireUser('/me/family');
  const [t, tc, tl, db] = await Promise.all([
    getTranslations('family'),
    getTranslations('healthCode'),
    getTranslations('consent'),
    getDb(),
  ]);
  const keys = fieldKeysFromEnv();
  const family = (await personsOfAccount(db, user.accountId)).filter((p) => p.relation === 'family');
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <Card className="p-2">
        {family.length === 0 ? (
          <p className="p-4 text-muted">{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-line">
            {family.map((p) => {
              const name = decryptField(keys, p.nameEnc);
              return (
                <li key={p.id} className="flex items-center gap-3 p-3">
                  <Link href={`/me?p=${p.id}`} className="min-w-0 flex-1">
                    <span className="block text-lg font-medium">{name}</span>
                    <span className="block font-mono text-sm text-muted">{t('idMasked', { id: p.idNumberMasked })}</span>
                  </Link>
                  <RemoveFamilyButton personId={p.id} name={name} />
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Link href="/me/family/new" className={buttonVariants({ size: 'lg', className: 'w-full' })}>
        <Plus aria-hidden size={20} />
        {tc('addFamily')}
      </Link>
      <Link href="/me/requests" className={buttonVariants({ variant: 'secondary', size: 'lg', className: 'w-full' })}>
        <Link2 aria-hidden size={20} />
        {tl('links.requests')}
      </Link>
    </div>
  );
}
