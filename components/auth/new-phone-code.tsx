'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

export type CodeRequestResult =
  | { ok: true; phone: string; maskedPhone: string; resendAfterSeconds: number; devCode?: string }
  | { ok: false; reason: string; retryAfterSeconds?: number };

/**
 * A new phone number and the code texted to it (更换手机号, 找回账号). The parent keeps the values; this
 * asks for the code through `request` (a server action) and shows the countdown and the dev sink's code.
 */
export function NewPhoneCode({
  request,
  phone,
  code,
  onPhone,
  onCode,
  onSent,
  onError,
  describedBy,
}: {
  request: (phone: string) => Promise<CodeRequestResult>;
  phone: string;
  code: string;
  onPhone: (v: string) => void;
  onCode: (v: string) => void;
  onSent: (phone: string) => void;
  onError: (reason: string, seconds?: number) => void;
  describedBy?: string;
}) {
  const t = useTranslations('accountLife.phone');
  const [sent, setSent] = useState<{ masked: string; at: number; wait: number; devCode?: string; phone: string } | null>(null);
  const [left, setLeft] = useState(0);
  const [pending, start] = useTransition();
  useEffect(() => {
    if (!sent) return;
    const tick = () => setLeft(Math.max(0, Math.ceil((sent.at + sent.wait * 1000 - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [sent]);
  const codeStep = sent !== null && sent.phone === phone.replace(/[\s-]/g, '').replace(/^\+?86/, '');

  function ask() {
    start(async () => {
      const r = await request(phone);
      if (!r.ok) {
        onError(r.reason, r.retryAfterSeconds);
        return;
      }
      setSent({ masked: r.maskedPhone, at: Date.now(), wait: r.resendAfterSeconds, devCode: r.devCode, phone: r.phone });
      onSent(r.phone);
    });
  }

  return (
    <div className="space-y-3">
      <div>
        <Label htmlFor="new-phone">{t('newPhone')}</Label>
        <div className="flex gap-2">
          <Input
            id="new-phone"
            type="tel"
            inputMode="numeric"
            autoComplete="tel-national"
            maxLength={16}
            placeholder={t('newPhonePlaceholder')}
            value={phone}
            onChange={(e) => onPhone(e.target.value)}
            aria-describedby={describedBy}
          />
          <Button
            type="button"
            variant={codeStep ? 'secondary' : 'primary'}
            className="shrink-0"
            disabled={pending || (codeStep && left > 0)}
            onClick={ask}
          >
            {pending ? t('sending') : codeStep ? (left > 0 ? t('resendIn', { seconds: left }) : t('resend')) : t('getCode')}
          </Button>
        </div>
      </div>
      {codeStep && (
        <>
          <p className="rounded-xl bg-brand-50 p-3 text-sm text-brand-700" role="status">
            {t('codeSent', { phone: sent.masked })}
          </p>
          {sent.devCode && (
            <p className="rounded-xl border border-dashed border-amber-500 bg-amber-50 p-3 text-sm text-amber-900" data-testid="dev-code">
              {t('devCode', { code: sent.devCode })}
            </p>
          )}
          <div>
            <Label htmlFor="new-phone-code">{t('code')}</Label>
            <Input
              id="new-phone-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t('codePlaceholder')}
              value={code}
              onChange={(e) => onCode(e.target.value.replace(/\D/g, ''))}
              aria-describedby={describedBy}
              className="tracking-[0.3em]"
            />
          </div>
        </>
      )}
    </div>
  );
}
