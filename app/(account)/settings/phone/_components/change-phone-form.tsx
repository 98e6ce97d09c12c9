'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';
import { NewPhoneCode } from '@/components/auth/new-phone-code';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/lib/i18n/message-of';
import { changePhoneAction, requestPhoneChangeCodeAction } from '../actions';

export function ChangePhoneForm() {
  const t = useTranslations('accountLife.phone');
  const tr = useTranslations();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<{ reason: string; n?: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const errorId = useId();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    start(async () => {
      const r = await changePhoneAction(sentTo ?? phone, code);
      if (r.ok) {
        setDone(r.maskedPhone);
        // Every session of the account has ended; this device's cookie goes too.
        await signOut({ redirect: false });
        return;
      }
      setError({ reason: r.reason, n: 'attemptsLeft' in r ? r.attemptsLeft : undefined });
    });
  }

  if (done) {
    return (
      <div className="space-y-3" role="status" data-testid="phone-changed">
        <p className="rounded-xl bg-brand-50 p-3 text-brand-700">{t('done', { phone: done })}</p>
        <Button asChild className="w-full">
          <a href="/sign-in">{t('signInAgain')}</a>
        </Button>
      </div>
    );
  }

  const text = error
    ? errorMessage(tr, ['accountLife.phoneErrors', 'signIn.errors'], error.reason, { seconds: error.n ?? 0, left: error.n ?? 0 })
    : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <NewPhoneCode
        request={requestPhoneChangeCodeAction}
        phone={phone}
        code={code}
        onPhone={setPhone}
        onCode={setCode}
        onSent={(p) => {
          setSentTo(p);
          setError(null);
        }}
        onError={(reason, seconds) => setError({ reason, n: seconds })}
        describedBy={text ? errorId : undefined}
      />
      {sentTo && (
        <Button type="submit" size="lg" className="w-full" disabled={pending || code.length !== 6}>
          {pending ? t('submitting') : t('submit')}
        </Button>
      )}
      <p id={errorId} role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
        {text}
      </p>
    </form>
  );
}
