import type { CodeSender } from '@/lib/auth/code-sender';

/** A code sender that keeps what it sends, as the SMS gateway would receive it. */
export function captureSender(): CodeSender & { sent: { phone: string; code: string }[]; fail: boolean } {
  const sender = {
    revealsCode: false as const,
    sent: [] as { phone: string; code: string }[],
    fail: false,
    async send(phone: string, code: string) {
      if (sender.fail) throw new Error('gateway down');
      sender.sent.push({ phone, code });
    },
  };
  return sender;
}
