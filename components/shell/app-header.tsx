import { ThermometerSun } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { headerAccount } from '@/lib/auth/header-account';
import { AccountMenu } from './account-menu';
import { InboxBell } from './inbox-bell';
import { LanguageSwitch } from './language-switch';
import { NavLinks } from './nav-links';

export async function AppHeader() {
  const [t, account] = await Promise.all([getTranslations(), headerAccount()]);
  return (
    <header className="no-print sticky top-0 z-30 bg-brand-600 text-white shadow">
      <div className="mx-auto flex h-14 max-w-5xl items-center gap-1.5 px-4 sm:gap-3">
        <Link href="/" className="flex min-w-0 items-center gap-2 text-lg font-semibold">
          <ThermometerSun aria-hidden size={24} />
          <span className="truncate">{t('app.name')}</span>
        </Link>
        <div className="ml-1 flex-1 sm:ml-4">
          <NavLinks variant="top" />
        </div>
        <LanguageSwitch />
        {account && <InboxBell unread={account.unread} asOf={account.unreadAsOf} />}
        {account ? (
          <AccountMenu maskedPhone={account.maskedPhone} isOfficial={account.isOfficial} />
        ) : (
          <Link href="/sign-in" className="rounded-lg px-3 py-2 text-sm font-medium hover:bg-white/10">
            {t('account.signIn')}
          </Link>
        )}
      </div>
    </header>
  );
}
