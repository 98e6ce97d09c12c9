import { ThermometerSun } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { maskPhone } from '@/lib/auth/phone';
import { getDb } from '@/db';
import { getCurrentUser } from '@/lib/auth/require-user';
import { isHealthOfficial } from '@/lib/health-code/officials';
import { AccountMenu } from './account-menu';
import { LanguageSwitch } from './language-switch';
import { NavLinks } from './nav-links';

export async function AppHeader() {
  const [t, user] = await Promise.all([getTranslations(), getCurrentUser()]);
  const isOfficial = user ? await isHealthOfficial(await getDb(), user.accountId) : false;
  return (
    <header className="no-print sticky top-0 z-30 bg-brand-600 text-white shadow">
      <div className="mx-auto flex h-14 max-w-5xl items-center gap-3 px-4">
        <Link href="/" className="flex min-w-0 items-center gap-2 text-lg font-semibold">
          <ThermometerSun aria-hidden size={24} />
          <span className="truncate">{t('app.name')}</span>
        </Link>
        <div className="ml-4 flex-1">
          <NavLinks variant="top" />
        </div>
        <LanguageSwitch />
        {user ? (
          <AccountMenu maskedPhone={maskPhone(user.phone)} isOfficial={isOfficial} />
        ) : (
          <Link href="/sign-in" className="rounded-lg px-3 py-2 text-sm font-medium hover:bg-white/10">
            {t('account.signIn')}
          </Link>
        )}
      </div>
    </header>
  );
}
