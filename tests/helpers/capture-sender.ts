import type { MessageSender, OutgoingMessage } from '@/lib/sms/sender';

/** A message sender that keeps what it sends, as the SMS gateway would receive it (`sent`: sign-in codes). */
export function captureSender(): MessageSender & { sent: { phone: string; code: string }[]; messages: OutgoingMessage[]; fail: boolean } {
  const sender = {
    revealsCode: false as const,
    sent: [] as { phone: string; code: string }[],
    messages: [] as OutgoingMessage[],
    fail: false,
    async send(m: OutgoingMessage) {
      if (sender.fail) throw new Error('gateway down');
      sender.messages.push(m);
      if (m.kind === 'sign_in') sender.sent.push({ phone: m.phone, code: String(m.params.code) });
    },
  };
  return sender;
}
