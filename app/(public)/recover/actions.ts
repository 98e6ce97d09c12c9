'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { requestRecovery, requestRecoveryCode } from '@/lib/accounts/recovery';
import { clientIp } from '@/lib/auth/client-ip';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';
import { signInConfigFromEnv } from '@/lib/auth/sign-in';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { identityVerifierFromEnv } from '@/lib/identity/verifier';
import { action } from '@/lib/server/action';
import { messageSenderFromEnv } from '@/lib/sms/sender';

/** Anyone may ask for a code to a number without an account: the sign-in limits per phone and IP are the gate. */
export const requestRecoveryCodeAction = action(
  // Stores the code in its own transaction, texts it after the commit.
  { auth: 'public', input: z.tuple([z.string().max(32)]), transaction: false },
  async (db, _nobody, [phone], now) => {
    const r = await requestRecoveryCode(db, signInConfigFromEnv(), messageSenderFromEnv(), { phone, ip: clientIp(await headers()), now });
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

const recovery = z.object({
  phone: z.string().max(32),
  code: z.string().max(12),
  idType: z.string().max(32),
  idNumber: z.string().max(40),
  name: z.string().max(100),
});

/**
 * 找回账号: the new number's code plus the own person's document and name. Public (the old number is lost);
 * limited per new number and per document, audited; the answer does not tell whether a document is registered.
 */
export const requestRecoveryAction = action(
  // Owns its transactions: the tries must count even when the request fails; the text goes after the commit.
  { auth: 'public', input: z.tuple([recovery]), transaction: false },
  async (db, _nobody, [input], now) => {
    const r = await requestRecovery(
      db,
      { cfg: signInConfigFromEnv(), keys: fieldKeysFromEnv(), verifier: identityVerifierFromEnv() },
      input,
      now,
    );
    if (!r.ok) return r;
    await r.afterCommit(messageSenderFromEnv());
    return { ok: true as const, effectiveAt: r.effectiveAt.toISOString(), maskedPhone: maskPhone(normalizePhone(input.phone)) };
  },
);
