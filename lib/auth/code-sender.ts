import 'server-only';
import { env } from '@/lib/env';
import { log } from '@/lib/log';

/** Delivers a one-time sign-in code to a phone. Chosen by OTP_SENDER. */
export type CodeSender = {
  /** True when the code may be shown to the person at the screen (development only). */
  readonly revealsCode: boolean;
  send(phone: string, code: string): Promise<void>;
};

export const devCodeSender: CodeSender = {
  revealsCode: true,
  async send(phone, code) {
    // Development only (production refuses OTP_SENDER=dev at start-up). Bypasses the scrubbing logger on purpose.
    console.info(`[dev sign-in code] ${phone}: ${code}`);
  },
};

export function webhookCodeSender(url: string, token?: string): CodeSender {
  return {
    revealsCode: false,
    async send(phone, code) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ phone, code, purpose: 'sign-in' }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`code webhook answered ${res.status}`);
    },
  };
}

export function codeSenderFromEnv(): CodeSender {
  const e = env();
  if (e.OTP_SENDER === 'webhook') {
    if (!e.OTP_WEBHOOK_URL) throw new Error('OTP_SENDER=webhook needs OTP_WEBHOOK_URL');
    return webhookCodeSender(e.OTP_WEBHOOK_URL, e.OTP_WEBHOOK_TOKEN);
  }
  if (e.NODE_ENV === 'production') throw new Error('The development code sender is not allowed in production');
  log().warn('using the development sign-in code sender');
  return devCodeSender;
}
