'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { requestCodeAction, type RequestCodeState } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

type Demo = { phone: string; label: string };

function useCountdown(sent: RequestCodeState['sent']) {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!sent) return;
    const until = sent.at + sent.resendAfterSeconds * 1000;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [sent]);
  return left;
}

export function SignInForm({ callbackUrl, demoAccounts }: { callbackUrl: string; demoAccounts: Demo[] }) {
  const t = useTranslations('signIn');
  const tr = useTranslations();
  const [state, requestCode, requesting] = useActionState(requestCodeAction, { phone: '' });
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [verifyError, setVerifyError] = useState<{ reason: string; left?: number } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const left = useCountdown(state.sent);
  const codeRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const codeStep = Boolean(state.sent) && state.phone === phone.replace(/[\s-]/g, '').replace(/^\+?86/, '');

  useEffect(() => {
    setVerifyError(null);
    if (state.sent) codeRef.current?.focus();
  }, [state]);

  async function verify(event: React.FormEvent) {
    event.preventDefault();
    setVerifying(true);
    setVerifyError(null);
    const res = await signIn('phone-code', { phone: state.phone, code, redirect: false });
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setVerifying(false);
    const [reason, n] = (res?.error ?? 'unknown').split(':');
    setVerifyError({ reason, left: n ? Number(n) : undefined });
  }

  const message = verifyError ?? (state.error ? { reason: state.error.reason, left: state.error.seconds } : null);
  const messageText = message
    ? errorMessage(tr, 'signIn.errors', message.reason, { seconds: message.left ?? 0, left: message.left ?? 0 })
    : null;

  return (
    <div className="space-y-5">
      <form action={requestCode} noValidate className="space-y-3">
        <div>
          <Label htmlFor="phone">{t('phoneLabel')}</Label>
          <div className="flex gap-2">
            <Input
              id="phone"
              name="phone"
              type="tel"
              inputMode="numeric"
              autoComplete="tel-national"
              maxLength={16}
              placeholder={t('phonePlaceholder')}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              aria-invalid={message?.reason === 'invalid_phone'}
              aria-describedby={messageText ? errorId : undefined}
              required
            />
            <Button
              type="submit"
              variant={codeStep ? 'secondary' : 'primary'}
              disabled={requesting || (codeStep && left > 0)}
              className="shrink-0"
            >
              {requesting ? t('sending') : codeStep ? (left > 0 ? t('resendIn', { seconds: left }) : t('resend')) : t('getCode')}
            </Button>
          </div>
        </div>
      </form>

      {state.sent && codeStep && (
        <form onSubmit={verify} noValidate className="space-y-3">
          <p className="rounded-xl bg-brand-50 p-3 text-sm text-brand-700" role="status">
            {t('codeSent', { phone: state.sent.maskedPhone })}
          </p>
          {state.sent.devCode && (
            <p className="rounded-xl border border-dashed border-amber-500 bg-amber-50 p-3 text-sm text-amber-900" data-testid="dev-code">
              {t('devCode', { code: state.sent.devCode })}
            </p>
          )}
          <div>
            <Label htmlFor="code">{t('codeLabel')}</Label>
            <Input
              ref={codeRef}
              id="code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t('codePlaceholder')}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              aria-invalid={Boolean(verifyError)}
              aria-describedby={messageText ? errorId : undefined}
              className="tracking-[0.3em]"
            />
          </div>
          <Button type="submit" size="lg" className="w-full" disabled={verifying}>
            {verifying ? t('submitting') : t('submit')}
          </Button>
        </form>
      )}

      <p id={errorId} aria-live="assertive" role="alert" className="min-h-6 text-base font-medium text-danger">
        {messageText}
      </p>

      <p className="text-xs leading-relaxed text-muted">{t('agreement')}</p>

      {demoAccounts.length > 0 && (
        <section aria-labelledby="demo" className="rounded-xl border border-dashed border-line p-4">
          <h2 id="demo" className="font-semibold">
            {t('demoTitle')}
          </h2>
          <p className="mb-2 text-sm text-muted">{t('demoHint')}</p>
          <ul className="grid gap-2 sm:grid-cols-2">
            {demoAccounts.map((d) => (
              <li key={d.phone}>
                <button
                  type="button"
                  onClick={() => setPhone(d.phone)}
                  className="w-full rounded-lg border border-line bg-white px-3 py-2 text-left hover:border-brand-500"
                >
                  <span className="block font-mono">{d.phone}</span>
                  <span className="block text-sm text-muted">{d.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
