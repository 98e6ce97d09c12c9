import { ShieldCheck } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { myGuardians } from '@/lib/identity/guardians';
import { EndAllButton, RemoveGuardianButton } from './_components/guardian-buttons';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('consent'))('guardians.title') };
}

/** 我的监护人 (SPEC L1): every account that guards the account's own person, since when; an adult removes them. */
export default async function MyGuardiansPage() {
  const user = await requireUser('/me/guardians');
  const db = await getDb();
  const now = new Date();
  const [t, tc, format, mine] = await Promise.all([
    getTranslations('consent.guardians'),
    getTranslations('healthCode'),
    getFormatter(),
    myGuardians(db, user, now),
  ]);

  if (!mine) {
    return (
      <Card className="mx-auto max-w-lg space-y-4 text-center">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-muted">{t('noSelf')}</p>
        <Link href="/me/register" className={buttonVariants({ size: 'lg' })}>
          {tc('registerSelf')}
        </Link>
      </Card>
    );
  }

  return (
    <div className="mx-auto max-w-lg space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-muted">{t('intro')}</p>
      </div>
      <Card className="p-2">
        {mine.guardians.length === 0 ? (
          <p className="p-4 text-muted" data-testid="guardians-empty">
            {t('empty')}
          </p>
        ) : (
          <ul className="divide-y divide-line" data-testid="guardians">
            {mine.guardians.map((g) => (
              <li key={g.accountId} className="flex items-center gap-3 p-3" data-testid="guardian">
                <ShieldCheck aria-hidden size={22} className="shrink-0 text-brand-600" />
                <span className="min-w-0 flex-1">
                  <span className="block text-lg tabular-nums">{t('phone', { phone: g.phone })}</span>
                  <span className="block text-sm text-muted">
                    {t('since', { time: format.dateTime(g.since, { year: 'numeric', month: 'long', day: 'numeric' }) })}
                  </span>
                </span>
                {mine.adult && <RemoveGuardianButton guardianAccountId={g.accountId} phone={g.phone} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {!mine.adult && <p className="rounded-xl bg-amber-50 p-3 text-amber-800">{t('minor')}</p>}
      {mine.adult && mine.guardians.length > 1 && <EndAllButton />}
    </div>
  );
}
