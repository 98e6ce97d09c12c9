'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';
import { NewPhoneCode } from '@/components/auth/new-phone-code';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { errorMessage } from '@/lib/i18n/message-of';
import { requestRecoveryAction, requestRecoveryCodeAction } from '../actions';

export function RecoverForm() {
  const t = useTranslations('accountLife.recover');
  const tp = useTranslations('person');
  const tr = useTranslations();
  const format = useFormatter();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ reason: string; n?: number } | null>(null);
  const [done, setDone] = useState<{ at: string; phone: string } | null>(null);
  const [pending, start] = useTransition();
  const errorId = useId();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    start(async () => {
      const r = await requestRecoveryAction({ phone: sentTo ?? phone, code, idType: 'cn_resident', idNumber, name });
      if (r.ok) setDone({ at: r.effectiveAt, phone: r.maskedPhone });
      else
        setError({
          reason: r.reason,
          n: 'retryAfterSeconds' in r ? r.retryAfterSeconds : 'attemptsLeft' in r ? r.attemptsLeft : undefined,
        });
    });
  }

  if (done) {
    const time = format.dateTime(new Date(done.at), {
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone: 'Asia/Shanghai',
    });
    return (
      <div className="space-y-3" role="status" data-testid="recovery-submitted">
        <h2 className="text-lg font-semibold">{t('doneTitle')}</h2>
        <p className="rounded-xl bg-brand-50 p-3 text-brand-700">{t('done', { time, phone: done.phone })}</p>
        <a href="/sign-in" className="text-brand-700 underline">
          {t('backToSignIn')}
        </a>
      </div>
    );
  }

  const n = error?.n ?? 0;
  const text = error
    ? errorMessage(tr, ['accountLife.recoverErrors', 'signIn.errors'], error.reason, {
        seconds: n,
        left: n,
        minutes: Math.max(1, Math.ceil(n / 60)),
      })
    : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      <section className="space-y-3" aria-labelledby="step-phone">
        <h2 id="step-phone" className="font-semibold">
          {t('stepPhone')}
        </h2>
        <NewPhoneCode
          request={requestRecoveryCodeAction}
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
      </section>
      {sentTo && (
        <section className="space-y-3" aria-labelledby="step-identity">
          <h2 id="step-identity" className="font-semibold">
            {t('stepIdentity')}
          </h2>
          <p className="text-sm text-muted">
            {t('idType')}：{tp('idTypes.cn_resident')}
          </p>
          <div>
            <Label htmlFor="recover-id">{t('idNumber')}</Label>
            <Input id="recover-id" maxLength={18} autoComplete="off" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} />
          </div>
          <div>
            <Label htmlFor="recover-name">{t('name')}</Label>
            <Input
              id="recover-name"
              maxLength={40}
              autoComplete="name"
              placeholder={t('namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <p id={errorId} role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
            {text}
          </p>
          <Button type="submit" size="lg" className="w-full" disabled={pending || code.length !== 6}>
            {pending ? t('submitting') : t('submit')}
          </Button>
        </section>
      )}
      {!sentTo && (
        <p id={errorId} role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
          {text}
        </p>
      )}
    </form>
  );
}
