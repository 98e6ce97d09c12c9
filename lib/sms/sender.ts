import 'server-only';
import { randomUUID } from 'node:crypto';
import { env } from '@/lib/env';
import { log } from '@/lib/log';

// Everything the app texts to a phone goes through one MessageSender (issue #18). Chinese SMS gateways
// send registered templates only, so a message is a template id and its parameters, never free text:
//   sign-in code  → { kind: 'sign_in', template: SMS_TEMPLATE_SIGN_IN, params: { code } }
//   venue digest  → { kind: 'venue_digest', template: SMS_TEMPLATE_VENUE_DIGEST, params: { venue, fevers, reds, since, until } }
//   phone change  → { kind: 'phone_change', template: SMS_TEMPLATE_PHONE_CHANGE, params: { newPhone, until } } (to the old number)
// Every message carries an idempotency key (header and body), the same on every retry of that message,
// so a receiver drops a retry of a message it already got.

export type MessageKind = 'sign_in' | 'venue_digest' | 'phone_change';
export type MessageParams = Record<string, string | number>;

export type OutgoingMessage = {
  phone: string;
  kind: MessageKind;
  template: string;
  params: MessageParams;
  idempotencyKey: string;
};

export type MessageSender = {
  /** True when a sign-in code may be shown to the person at the screen (development only). */
  readonly revealsCode: boolean;
  /** Resolves once the gateway accepted the message; throws when it did not (down, 5xx, timeout). */
  send(message: OutgoingMessage): Promise<void>;
};

export const DEFAULT_TEMPLATES = { sign_in: 'SMS_SIGN_IN', venue_digest: 'SMS_VENUE_DIGEST', phone_change: 'SMS_PHONE_CHANGE' } as const;

/** The configured template id of a kind (SMS_TEMPLATE_SIGN_IN, SMS_TEMPLATE_VENUE_DIGEST, SMS_TEMPLATE_PHONE_CHANGE). */
export function templateOf(kind: MessageKind): string {
  const e = env();
  if (kind === 'phone_change') return e.SMS_TEMPLATE_PHONE_CHANGE;
  return kind === 'sign_in' ? e.SMS_TEMPLATE_SIGN_IN : e.SMS_TEMPLATE_VENUE_DIGEST;
}

/** A sign-in code as a message: a fresh key per code (each code is its own message). */
export function signInMessage(phone: string, code: string, template = templateOf('sign_in')): OutgoingMessage {
  return { phone, kind: 'sign_in', template, params: { code }, idempotencyKey: randomUUID() };
}

export const devMessageSender: MessageSender = {
  revealsCode: true,
  async send(m) {
    // Development only (production refuses OTP_SENDER=dev at start-up). Bypasses the scrubbing logger on purpose.
    console.info(`[dev sms ${m.kind}] ${m.phone} ${m.template} ${JSON.stringify(m.params)} (${m.idempotencyKey})`);
  },
};

/**
 * POSTs each message as JSON to the gateway's webhook. The body is `{ phone, kind, template, params,
 * idempotencyKey }`; a sign-in message also keeps the old contract's `code` and `purpose: 'sign-in'`, so
 * receivers built for `{ phone, code, purpose }` keep working. Any answer but 2xx, a refused connection
 * or no answer within `timeoutMs` is a failure (the caller decides whether to retry).
 */
export function webhookMessageSender(url: string, token?: string, timeoutMs = 5000): MessageSender {
  return {
    revealsCode: false,
    async send(m) {
      const legacy = m.kind === 'sign_in' ? { code: String(m.params.code), purpose: 'sign-in' } : {};
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.idempotencyKey,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({
          phone: m.phone,
          kind: m.kind,
          template: m.template,
          params: m.params,
          idempotencyKey: m.idempotencyKey,
          ...legacy,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`sms webhook answered ${res.status}`);
    },
  };
}

/** The sender chosen by OTP_SENDER (the variable keeps its name: deployments already set it). */
export function messageSenderFromEnv(): MessageSender {
  const e = env();
  if (e.OTP_SENDER === 'webhook') {
    if (!e.OTP_WEBHOOK_URL) throw new Error('OTP_SENDER=webhook needs OTP_WEBHOOK_URL');
    return webhookMessageSender(e.OTP_WEBHOOK_URL, e.OTP_WEBHOOK_TOKEN);
  }
  if (e.NODE_ENV === 'production') throw new Error('The development message sender is not allowed in production');
  log().warn('using the development message sender');
  return devMessageSender;
}
