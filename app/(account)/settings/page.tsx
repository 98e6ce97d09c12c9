import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronRight } from 'lucide-react';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { pendingDeletionOf, pendingRecoveryOfAccount } from '@/db/queries/account-lifecycle';
import { LanguageSwitch } from '@/components/shell/language-switch';
import { Card } from '@/components/ui/card';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { SignOutButton, SignOutEverywhereButton } from './_components/sign-out-buttons';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const user = await requireUser('/settings');
  const [t, format, db] = await Promise.all([getTranslations(), getFormatter(), getDb()]);
  const [recovery, deletion] = await Promise.all([pendingRecoveryOfAccount(db, user.accountId), pendingDeletionOf(db, user.accountId)]);
  const when = (d: Date) =>
    format.dateTime(d, { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
  const row = 'flex min-h-14 items-center justify-between gap-4 py-3 hover:text-brand-700';
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">{t('settings.title')}</h1>
      <Card>
        <dl className="divide-y divide-line">
          <div className="flex items-center justify-between gap-4 pb-4">
            <dt className="text-muted">{t('settings.phone')}</dt>
            <dd className="font-mono text-lg" data-testid="settings-phone">
              {maskPhone(user.phone)}
            </dd>
          </div>
          <div className="flex items-center justify-between gap-4 pt-4">
            <dt className="text-muted">{t('settings.language')}</dt>
            <dd className="flex items-center gap-3">
              <span>{t('language.current')}</span>
              <LanguageSwitch tone="dark" />
            </dd>
          </div>
        </dl>
      </Card>
      {recovery?.mode === 'recovery' && (
        <Card className="space-y-2 border-danger" data-testid="settings-recovery" role="alert">
          <p className="font-medium">
            {t('accountLife.pendingRecovery', { phone: maskPhone(recovery.newPhone), time: when(recovery.effectiveAt) })}
          </p>
          <Link href={`/account-recovery/${recovery.id}`} className="font-medium text-danger underline">
            {t('accountLife.stopRecovery')}
          </Link>
        </Card>
      )}
      {deletion && (
        <Card className="space-y-2 border-amber-500" data-testid="settings-deletion">
          <p className="font-medium">{t('accountLife.pendingDeletion', { time: when(deletion.effectiveAt) })}</p>
          <Link href="/settings/delete" className="font-medium text-brand-700 underline">
            {t('accountLife.cancelDeletion')}
          </Link>
        </Card>
      )}
      <Card>
        <h2 className="sr-only">{t('accountLife.sectionTitle')}</h2>
        <ul className="divide-y divide-line">
          <li>
            <Link href="/settings/phone" className={row}>
              <span>
                <span className="block font-medium">{t('accountLife.changePhone')}</span>
                <span className="block text-sm text-muted">{t('accountLife.changePhoneHint')}</span>
              </span>
              <ChevronRight aria-hidden size={20} className="shrink-0 text-muted" />
            </Link>
          </li>
          <li>
            <Link href="/settings/delete" className={row}>
              <span>
                <span className="block font-medium">{t('accountLife.deleteAccount')}</span>
                <span className="block text-sm text-muted">{t('accountLife.deleteAccountHint')}</span>
              </span>
              <ChevronRight aria-hidden size={20} className="shrink-0 text-muted" />
            </Link>
          </li>
        </ul>
      </Card>
      <Card className="space-y-4">
        <div>
          <SignOutButton />
          <p className="mt-2 text-sm text-muted">{t('settings.signOutHint')}</p>
        </div>
        <div className="border-t border-line pt-4">
          <SignOutEverywhereButton />
          <p className="mt-2 text-sm text-muted">{t('settings.signOutEverywhereHint')}</p>
        </div>
      </Card>
    </div>
  );
}
