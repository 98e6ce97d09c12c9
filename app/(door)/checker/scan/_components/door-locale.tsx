'use client';

import { NextIntlClientProvider } from 'next-intl';
import { useEffect, useState, type ReactNode } from 'react';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { CHINA_TIME_ZONE } from '@/lib/time';

type Messages = Record<string, unknown>;

/**
 * The static shell is rendered in Chinese; a device that chose English (the language cookie) gets the
 * English catalogue here, from a chunk the service worker keeps.
 */
export function DoorLocale({ children }: { children: ReactNode }) {
  const [english, setEnglish] = useState<Messages | null>(null);
  useEffect(() => {
    const cookie = document.cookie.split('; ').find((c) => c.startsWith(`${LOCALE_COOKIE}=`));
    if (resolveLocale(cookie?.split('=')[1]) !== 'en') return;
    void import('@/lib/i18n/messages/en.json').then((m) => {
      document.documentElement.lang = 'en';
      setEnglish(m.default as Messages);
    });
  }, []);
  if (!english) return children;
  return (
    <NextIntlClientProvider locale="en" messages={english} timeZone={CHINA_TIME_ZONE}>
      {children}
    </NextIntlClientProvider>
  );
}
