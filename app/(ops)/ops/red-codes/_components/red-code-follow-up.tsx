'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/lib/i18n/message-of';
import { followUpRedCodeAction, type FollowUpState } from '../actions';

/** 标记已核实 / 已处置 with a note: forwards only (the service refuses going back). */
export function RedCodeFollowUp({
  venueId,
  checkinId,
  status,
  note,
}: {
  venueId: string;
  checkinId: string;
  status: string;
  note: string;
}) {
  const t = useTranslations('doorRed');
  const tr = useTranslations();
  const [state, submit, pending] = useActionState(followUpRedCodeAction, { note } as FollowUpState);
  const id = `note-${checkinId}`;
  const current = state.saved && state.status ? state.status : status;
  return (
    <form action={submit} className="space-y-2" data-testid="red-code-follow-up">
      <input type="hidden" name="venueId" value={venueId} />
      <input type="hidden" name="checkinId" value={checkinId} />
      <label htmlFor={id} className="block text-sm font-medium">
        {t('note')}
      </label>
      <textarea
        id={id}
        name="note"
        rows={2}
        defaultValue={state.note}
        placeholder={t('notePlaceholder')}
        className="w-full rounded-xl border border-line bg-white px-3 py-2 text-base"
        aria-describedby={state.error ? `${id}-error` : undefined}
      />
      <div className="flex flex-wrap gap-2">
        {current === 'pending' && (
          <Button type="submit" name="status" value="verified" variant="secondary" disabled={pending}>
            {t('markVerified')}
          </Button>
        )}
        {current !== 'handled' ? (
          <Button type="submit" name="status" value="handled" disabled={pending}>
            {t('markHandled')}
          </Button>
        ) : (
          <Button type="submit" name="status" value="handled" variant="secondary" disabled={pending}>
            {t('saveNote')}
          </Button>
        )}
      </div>
      <p id={`${id}-error`} role="alert" className="min-h-5 text-sm font-medium">
        {state.error ? (
          <span className="text-danger">{errorMessage(tr, 'doorRed.errors', state.error)}</span>
        ) : state.saved ? (
          <span className="text-ok">{t('saved')}</span>
        ) : null}
      </p>
    </form>
  );
}
