import { cookies } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { CHINA_TIME_ZONE } from '@/lib/time';
import { LOCALE_COOKIE, resolveLocale } from './config';

// No locale in the URL: the choice lives in a cookie set by the language switch; Chinese by default.
export default getRequestConfig(async () => {
  const locale = resolveLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  const messages = (await import(`./messages/${locale}.json`)).default;
  return { locale, messages, timeZone: CHINA_TIME_ZONE };
});
