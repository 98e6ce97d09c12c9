'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { changePhoneSignedIn, requestPhoneChangeCode } from '@/lib/accounts/phone-change';
import { clientIp } from '@/lib/auth/client-ip';
import { maskPhone } from '@/lib/auth/phone';
import { signInConfigFromEnv } from '@/lib/auth/sign-in';
import { action } from '@/lib/server/action';
import { messageSenderFromEnv } from '@/lib/sms/sender';

/** A code to the new number, for the signed-in account only (the code is bound to it). */
export const requestPhoneChangeCodeAction = action(
  // The service stores the code in its own transaction and texts it only after that commit.
  { auth: 'user', input: z.tuple([z.string().max(32)]), transaction: false },
  async (db, user, [phone], now) => {
    const r = await requestPhoneChangeCode(db, signInConfigFromEnv(), messageSenderFromEnv(), user, {
      phone,
      ip: clientIp(await headers()),
      now,
    });
    if (!r.ok) return r;
    return {
      ok: true as const,
      phone: r.phone,
      maskedPhone: maskPhone(r.phone),
      resendAfterSeconds: r.resendAfterSeconds,
      devCode: r.devCode,
    };
  },
);

/** The new number's code: the number moves and every session of the account ends. */
export const changePhoneAction = action(
  { auth: 'user', input: z.tuple([z.string().max(32), z.string().max(12)]) },
  async (tx, user, [phone, code], now) => {
    const r = await changePhoneSignedIn(tx, signInConfigFromEnv(), user, { phone, code }, now);
    return r.ok ? { ok: true as const, maskedPhone: maskPhone(r.phone) } : r;
  },
);
