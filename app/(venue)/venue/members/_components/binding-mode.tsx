'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { toast } from '@/components/ui/toaster';
import { setBindingModeAction } from '../../actions';

/** V8: approval by default; the admin may switch the venue to immediate binding. */
export function BindingMode({ mode }: { mode: string }) {
  const t = useTranslations('members');
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const choose = (next: 'approval' | 'immediate') =>
    startTransition(async () => {
      const result = await setBindingModeAction(next);
      if (result.ok) toast.success(t('modeSaved'));
      router.refresh();
    });
  return (
    <fieldset disabled={pending} className="space-y-2">
      <legend className="mb-1 font-semibold">{t('bindingMode')}</legend>
      {(['approval', 'immediate'] as const).map((m) => (
        <label
          key={m}
          className="flex cursor-pointer gap-3 rounded-xl border border-line p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
        >
          <input type="radio" name="bindingMode" value={m} checked={mode === m} onChange={() => choose(m)} className="mt-1 h-5 w-5" />
          <span>
            <span className="block font-medium">{m === 'approval' ? t('modeApproval') : t('modeImmediate')}</span>
            <span className="block text-sm text-muted">{m === 'approval' ? t('modeApprovalHint') : t('modeImmediateHint')}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
