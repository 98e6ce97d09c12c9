import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';
import { NavLinks } from '@/components/shell/nav-links';
import { Toaster } from '@/components/ui/toaster';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: { default: t('name'), template: `%s · ${t('name')}` }, description: t('tagline') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#1559c7' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations('app')]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh antialiased">
        <NextIntlClientProvider>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-3">
            {t('skipToContent')}
          </a>
          <AppHeader />
          <main id="main" className="mx-auto max-w-5xl px-4 pb-24 pt-5 md:pb-10">
            {children}
          </main>
          <NavLinks variant="bottom" />
          <Toaster />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
