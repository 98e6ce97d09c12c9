'use client';

import { CircleCheck, TriangleAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { isRedReason } from '@/lib/health-code/colours';
import { LiveClock } from '@/components/health-code/live-clock';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils/cn';
import { quickCheckinAction, type QuickState } from '../actions';
import { errorMessage } from '@/lib/i18n/message-of';

type Person = { id: string; label: string; relation: 'self' | 'family' };

export function QuickForm({ ticket, venueName, persons }: { ticket: string; venueName: string; persons: Person[] }) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(quickCheckinAction.bind(null, ticket), {
    selected: persons.filter((p) => p.relation === 'self').map((p) => p.id),
  } as QuickState);
  const [chosen, setChosen] = useState<string[]>(state.selected);
  const errorText = (r?: string) => (r ? errorMessage(t, ['quick.errors', 'venueClose.quick', 'door.errors'], r) : null);

  if (state.done) {
    return (
      <div className="space-y-4 text-center" data-testid="quick-done">
        <CircleCheck aria-hidden className="mx-auto text-ok" size={56} />
        <h1 className="text-2xl font-bold">{t('quick.doneTitle')}</h1>
        <p className="text-xl font-semibold text-brand-700">{venueName}</p>
        <LiveClock label={t('quick.clockLabel')} className="block font-mono text-3xl font-bold tabular-nums" />
        <ul className="space-y-2 text-left">
          {state.done.map((o) => {
            const red = o.result.ok && o.result.colour === 'red';
            return (
              <li
                key={o.personId}
                className={cn('rounded-2xl p-4 text-white', !o.result.ok ? 'bg-muted' : red ? 'bg-danger' : 'bg-ok')}
                data-testid="quick-person"
                data-colour={o.result.ok ? o.result.colour : 'error'}
              >
                <p className="flex items-center gap-2 text-xl font-semibold">
                  {red ? <TriangleAlert aria-hidden /> : <CircleCheck aria-hidden />}
                  {o.nameMasked} · {o.result.ok ? t(`quick.${o.result.colour}`) : errorText(o.result.reason)}
                </p>
                {red && o.result.ok && isRedReason(o.result.reason) && (
                  <p className="mt-2 rounded-xl bg-white p-3 text-ink">
                    {t(`healthCode.reasons.${o.result.reason}`)}：{t(`healthCode.guidance.${o.result.reason}`)}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
        {state.done.some((o) => o.result.ok && o.result.colour === 'red') && (
          <p className="font-medium text-danger">{t('quick.redGuidance')}</p>
        )}
      </div>
    );
  }

  return (
    <form action={submit} className="space-y-4">
      <h1 className="text-2xl font-bold">{t('quick.visitTitle')}</h1>
      <p className="text-lg">{t('quick.visitIntro', { venue: venueName })}</p>
      <fieldset className="space-y-2">
        <legend className="sr-only">{t('quick.visitTitle')}</legend>
        {persons.map((p) => (
          <label
            key={p.id}
            className="flex h-14 cursor-pointer items-center gap-3 rounded-xl border border-line bg-white px-4 text-lg has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
          >
            <input
              type="checkbox"
              name="personId"
              value={p.id}
              checked={chosen.includes(p.id)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p.id] : c.filter((x) => x !== p.id)))}
              className="h-6 w-6"
            />
            <span className="text-sm text-muted">{t(`quick.${p.relation}`)}</span>
            <span className="font-medium">{p.label}</span>
          </label>
        ))}
      </fieldset>
      <p role="alert" className="min-h-6 font-medium text-danger">
        {errorText(state.error)}
      </p>
      <Button type="submit" size="lg" className="h-14 w-full text-lg" disabled={pending || chosen.length === 0}>
        {pending ? t('quick.submitting') : t('quick.confirm', { count: chosen.length })}
      </Button>
    </form>
  );
}
