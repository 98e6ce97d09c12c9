'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import { errorMessage } from '@/lib/i18n/message-of';
import { addEntranceAction } from '../actions';

/** 新增入口: one name; refused names keep what was typed, with the reason under the field. */
export function AddEntranceForm() {
  const t = useTranslations('entrances');
  const tr = useTranslations();
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await addEntranceAction(name);
    setBusy(false);
    if (!result.ok) return setError(errorMessage(tr, 'entrances.errors', result.reason));
    setError(null);
    setName('');
    toast.success(t('added'));
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="add-entrance">
      <h2 className="font-semibold">{t('addTitle')}</h2>
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <Field id="entrance-name" label={t('addLabel')} hint={t('nameHint')} error={error}>
            <Input
              id="entrance-name"
              value={name}
              maxLength={40}
              placeholder={t('addPlaceholder')}
              onChange={(e) => setName(e.target.value)}
              {...fieldAria('entrance-name', error, t('nameHint'))}
            />
          </Field>
        </div>
        <Button type="submit" disabled={busy} className="mt-7 h-12 shrink-0">
          {t('add')}
        </Button>
      </div>
      <p aria-live="polite" className="sr-only">
        {error}
      </p>
    </form>
  );
}
