'use client';

import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useState } from 'react';
import { ActionButton } from '@/components/action-button';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import { cancelReplacementAction, startReplacementAction } from '../../actions';
import { errorMessage } from '@/lib/i18n/message-of';

/** V4/V7: start (or withdraw) the replacement of this venue's admin. */
export function ReplaceAdmin({ pending }: { pending: { maskedPhone: string; expiresAt: Date } | null }) {
  const t = useTranslations('members');
  const tr = useTranslations();
  const format = useFormatter();
  const router = useRouter();
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorText = (r?: string) => errorMessage(tr, 'members.errors', r);

  async function start(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await startReplacementAction(phone);
    setBusy(false);
    if (!result.ok) return setError(errorText(result.reason));
    setError(null);
    setPhone('');
    toast.success(t('replaceStarted'));
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <h2 className="font-semibold">{t('replaceTitle')}</h2>
      <p className="text-sm text-muted">{t('replaceHint')}</p>
      {pending ? (
        <div className="flex flex-col gap-3 rounded-xl bg-brand-50 p-3 sm:flex-row sm:items-center" data-testid="replacement-pending">
          <p className="flex-1">
            {t('replacePending', {
              phone: pending.maskedPhone,
              date: format.dateTime(pending.expiresAt, { dateStyle: 'medium', timeStyle: 'short' }),
            })}
          </p>
          <ActionButton run={cancelReplacementAction} label={t('replaceCancel')} success={t('replaceCancelled')} errorText={errorText} />
        </div>
      ) : (
        <form onSubmit={start} noValidate className="flex items-end gap-2">
          <div className="flex-1">
            <Field id="replace-phone" label={t('replacePhone')} error={error}>
              <Input
                id="replace-phone"
                type="tel"
                inputMode="numeric"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'replace-phone-error' : undefined}
              />
            </Field>
          </div>
          <Button type="submit" disabled={busy} className={error ? 'mb-7' : undefined}>
            {t('replaceStart')}
          </Button>
        </form>
      )}
    </div>
  );
}
