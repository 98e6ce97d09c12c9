'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/i18n/message-of';
import { changeOfficialAction, revokeOfficialAction, type GovernState } from '../actions';
import { RegionBelow } from './region-below';

type Option = { code: string; name: string };
type Official = { accountId: string; phone: string; region: string; since: string; self: boolean };

/** One official of the list: their region in words, and (not for oneself) change region / revoke with a reason. */
export function OfficialRow({
  official,
  root,
  rootLabel,
  firstLevel,
}: {
  official: Official;
  root: string;
  rootLabel: string;
  firstLevel: Option[];
}) {
  const t = useTranslations('officials.people');
  const tr = useTranslations();
  const [open, setOpen] = useState<'change' | 'revoke' | null>(null);
  const [changeState, change, changing] = useActionState(changeOfficialAction, { values: {} } as GovernState);
  const [revokeState, revoke, revoking] = useActionState(revokeOfficialAction, { values: {} } as GovernState);
  const state = open === 'revoke' ? revokeState : changeState;
  return (
    <li className="space-y-2 py-3" data-testid="official-row" data-phone={official.phone}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="font-medium tabular-nums">
          {official.phone}
          {official.self && <span className="ml-2 rounded bg-brand-50 px-1.5 text-sm text-brand-700">{t('self')}</span>}
        </span>
        <span className="text-sm text-muted">{t('since', { date: official.since })}</span>
      </div>
      <p className="text-ink" data-testid="official-region">
        {official.region}
      </p>
      {!official.self && (
        <div className="flex gap-2">
          <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(open === 'change' ? null : 'change')}>
            {t('change')}
          </Button>
          <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(open === 'revoke' ? null : 'revoke')}>
            {t('revoke')}
          </Button>
        </div>
      )}
      {open === 'change' && (
        <form action={change} className="space-y-3 rounded-xl border border-line p-3">
          <input type="hidden" name="accountId" value={official.accountId} />
          <RegionBelow name="region" root={root} rootLabel={rootLabel} firstLevel={firstLevel} />
          <Field id={`change-reason-${official.accountId}`} label={t('reason')}>
            <Input id={`change-reason-${official.accountId}`} name="reason" maxLength={200} autoComplete="off" />
          </Field>
          <Button type="submit" disabled={changing}>
            {t('changeSubmit')}
          </Button>
        </form>
      )}
      {open === 'revoke' && (
        <form action={revoke} className="space-y-3 rounded-xl border border-danger/40 p-3">
          <p className="font-medium text-danger">{t('revokeConfirm', { phone: official.phone })}</p>
          <input type="hidden" name="accountId" value={official.accountId} />
          <Field id={`revoke-reason-${official.accountId}`} label={t('reason')}>
            <Input id={`revoke-reason-${official.accountId}`} name="reason" maxLength={200} autoComplete="off" />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={revoking}>
              {t('revokeSubmit')}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setOpen(null)}>
              {t('cancel')}
            </Button>
          </div>
        </form>
      )}
      {open && (
        <p role="alert" className="min-h-6 font-medium">
          {state.error ? <span className="text-danger">{errorMessage(tr, 'officials.errors', state.error)}</span> : null}
        </p>
      )}
    </li>
  );
}
