'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { usesHttps } from '@/lib/env';
import { LOCALE_COOKIE, resolveLocale } from './config';

/** Remembers the chosen language for a year. Anyone may call it: it only sets their own cookie. */
export async function setLocale(locale: string): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, resolveLocale(locale), {
    path: '/',
    maxAge: 365 * 24 * 60 * 60,
    sameSite: 'lax',
    secure: usesHttps(),
    httpOnly: true,
  });
  revalidatePath('/', 'layout');
}
