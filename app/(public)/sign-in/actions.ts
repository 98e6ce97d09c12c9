'use server';

import { headers } from 'next/headers';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { codeSenderFromEnv } from '@/lib/auth/code-sender';
import { maskPhone } from '@/lib/auth/phone';
import { requestSignInCode, signInConfigFromEnv } from '@/lib/auth/sign-in';

export type RequestCodeState = {
  phone: string;
  sent?: { maskedPhone: string; resendAfterSeconds: number; at: number; devCode?: string };
  error?: { reason: string; seconds?: number };
};

/** Anyone may ask for a code: the limits per phone and per IP are the gate. */
export async function requestCodeAction(_prev: RequestCodeState, form: FormData): Promise<RequestCodeState> {
  const phone = String(form.get('phone') ?? '').slice(0, 32);
  const result = await requestSignInCode(await getDb(), signInConfigFromEnv(), codeSenderFromEnv(), {
    phone,
    ip: clientIp(await headers()),
  });
  if (!result.ok) {
    return { phone, error: { reason: result.reason, seconds: result.reason === 'too_soon' ? result.retryAfterSeconds : undefined } };
  }
  return {
    phone: result.phone,
    sent: { maskedPhone: maskPhone(result.phone), resendAfterSeconds: result.resendAfterSeconds, at: Date.now(), devCode: result.devCode },
  };
}
