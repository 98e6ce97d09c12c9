'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { clientIp } from '@/lib/auth/client-ip';
import { messageSenderFromEnv } from '@/lib/sms/sender';
import { maskPhone } from '@/lib/auth/phone';
import { requestSignInCode, signInConfigFromEnv } from '@/lib/auth/sign-in';
import { formAction, formText } from '@/lib/server/action';

export type RequestCodeState = {
  phone: string;
  sent?: { maskedPhone: string; resendAfterSeconds: number; at: number; devCode?: string };
  error?: { reason: string; seconds?: number };
};

/** Anyone may ask for a code: the limits per phone and per IP are the gate. */
export const requestCodeAction = formAction(
  // The service stores the code in its own transaction and sends the SMS only after that commit.
  { auth: 'public', input: z.object({ phone: formText(32) }), transaction: false },
  async (db, _nobody, input, now) => {
    const ask = { phone: input.phone, ip: clientIp(await headers()), now };
    return requestSignInCode(db, signInConfigFromEnv(), messageSenderFromEnv(), ask);
  },
  (result, input): RequestCodeState => {
    if (!result.ok) {
      const seconds = 'retryAfterSeconds' in result ? (result.retryAfterSeconds as number) : undefined;
      const error = { reason: result.reason, seconds: result.reason === 'too_soon' ? seconds : undefined };
      return { phone: input?.phone ?? '', error };
    }
    const sent = {
      maskedPhone: maskPhone(result.phone),
      resendAfterSeconds: result.resendAfterSeconds,
      at: Date.now(),
      devCode: result.devCode,
    };
    return { phone: result.phone, sent };
  },
);
