import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { getCurrentUser } from '@/lib/auth/require-user';
import { LiveProvider } from '@/lib/live/live-provider';
import { AppHeader } from './app-header';
import { NavLinks } from './nav-links';

/**
 * The site's frame (header with the signed-in account, navigation). Every route group uses it except
 * the scanner's offline shell, which is static and must not depend on a per-request render. It holds the
 * tab's one live stream (the bell's inbox and the page's venue topics).
 */
export async function SiteChrome({ children }: { children: ReactNode }) {
  const [t, user] = await Promise.all([getTranslations('app'), getCurrentUser()]);
  // One live stream per tab for the bell and whatever the page shows live (lib/live/live-provider.tsx);
  // keyed by account so another account signing in on this tab starts afresh.
  return (
    <LiveProvider inbox={user !== null} key={user?.accountId ?? 'signed-out'}>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-3">
        {t('skipToContent')}
      </a>
      <AppHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-24 pt-5 md:pb-10">
        {children}
      </main>
      <NavLinks variant="bottom" />
    </LiveProvider>
  );
}
