'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { usesHttps } from '@/lib/env';
import { action } from '@/lib/server/action';
import { LOCALE_COOKIE, resolveLocale } from './config';

/** Remembers the chosen language for a year. Anyone may call it: it only sets their own cookie. */
export const setLocale = action(
  { auth: 'public', input: z.tuple([z.string().max(16)]), transaction: false },
  async (_db, _nobody, [locale]) => {
    (await cookies()).set(LOCALE_COOKIE, resolveLocale(locale), {
      path: '/',
      maxAge: 365 * 24 * 60 * 60,
      sameSite: 'lax',
      secure: usesHttps(),
      httpOnly: true,
    });
    revalidatePath('/', 'layout');
    return { ok: true as const };
  },
);
