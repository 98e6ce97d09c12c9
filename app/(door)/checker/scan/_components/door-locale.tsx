'use client';

import { NextIntlClientProvider, useTimeZone } from 'next-intl';
import { useEffect, useState, type ReactNode } from 'react';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';

type Messages = Record<string, unknown>;

/**
 * The static shell is rendered in Chinese; a device that chose English (the language cookie) gets the
 * English catalogue here, from a chunk the service worker keeps.
 */
export function DoorLocale({ children }: { children: ReactNode }) {
  // The root layout's provider already has China's time zone; reading it here keeps lib/time (and
  // date-fns) out of the scanner's first load.
  const timeZone = useTimeZone();
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
    <NextIntlClientProvider locale="en" messages={english} timeZone={timeZone}>
      {children}
    </NextIntlClientProvider>
  );
}
