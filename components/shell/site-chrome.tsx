import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { AppHeader } from './app-header';
import { NavLinks } from './nav-links';

/**
 * The site's frame (header with the signed-in account, navigation). Every route group uses it except
 * the scanner's offline shell, which is static and must not depend on a per-request render.
 */
export async function SiteChrome({ children }: { children: ReactNode }) {
  const t = await getTranslations('app');
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-3">
        {t('skipToContent')}
      </a>
      <AppHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-24 pt-5 md:pb-10">
        {children}
      </main>
      <NavLinks variant="bottom" />
    </>
  );
}
