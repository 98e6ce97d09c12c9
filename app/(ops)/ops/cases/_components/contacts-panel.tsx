'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { errorMessage } from '@/lib/i18n/message-of';
import { cn } from '@/lib/utils/cn';
import { markContactsAction, type CaseFormState } from '../actions';

export type ContactRow = {
  personId: string;
  name: string;
  idNumber: string;
  minGapSeconds: number;
  count: number;
  family: boolean;
  /** 'marked' | 'cleared' | null */
  mark: 'marked' | 'cleared' | null;
  visits: { venueId: string; label: string }[];
};
export type CheckerRow = { key: string; displayName: string; venueName: string; time: string; selfPersonId: string | null };

/**
 * 时空伴随人员 with the marking controls: select all, none, by gap ≤ N minutes or by venue, then mark
 * the selection red (密切接触者). Checkers on duty are listed apart; only those with a person of their own
 * can be selected.
 */
export function ContactsPanel({
  caseId,
  contacts,
  checkers,
  venues,
  canMark,
}: {
  caseId: string;
  contacts: ContactRow[];
  checkers: CheckerRow[];
  venues: { id: string; name: string }[];
  canMark: boolean;
}) {
  const t = useTranslations();
  const [state, submit, pending] = useActionState(markContactsAction, { values: {} } as CaseFormState);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [gap, setGap] = useState('10');
  const markable = useMemo(() => contacts.filter((c) => c.mark !== 'marked'), [contacts]);
  const toggle = (id: string) =>
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const minutes = (s: number) =>
    s < 60 ? t('cases.contacts.gapSeconds', { seconds: s }) : t('cases.contacts.gapValue', { minutes: Math.round(s / 60) });

  return (
    <form action={submit} className="space-y-3" data-testid="case-contacts">
      <input type="hidden" name="caseId" value={caseId} />
      {canMark && contacts.length > 0 && (
        <div className="flex flex-wrap items-end gap-2" data-testid="case-select">
          <Button type="button" size="sm" variant="secondary" onClick={() => setChosen(new Set(markable.map((c) => c.personId)))}>
            {t('cases.contacts.selectAll')}
          </Button>
          <Button type="button" size="sm" variant="secondary" onClick={() => setChosen(new Set())}>
            {t('cases.contacts.selectNone')}
          </Button>
          <span className="flex items-center gap-1">
            <label htmlFor="gap-n" className="sr-only">
              {t('cases.contacts.gapMinutes')}
            </label>
            <Input id="gap-n" type="number" min={0} max={240} value={gap} onChange={(e) => setGap(e.target.value)} className="h-9 w-20" />
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => setChosen(new Set(markable.filter((c) => c.minGapSeconds <= Number(gap) * 60).map((c) => c.personId)))}
            >
              {t('cases.contacts.selectGap', { minutes: Number(gap) || 0 })}
            </Button>
          </span>
          {venues.length > 1 && (
            <span>
              <label htmlFor="venue-pick" className="sr-only">
                {t('cases.contacts.selectVenue')}
              </label>
              <NativeSelect
                id="venue-pick"
                className="h-9"
                value=""
                onChange={(e) => {
                  const id = e.target.value;
                  if (id) setChosen(new Set(markable.filter((c) => c.visits.some((v) => v.venueId === id)).map((c) => c.personId)));
                }}
              >
                <option value="">{t('cases.contacts.selectVenue')}</option>
                {venues.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </NativeSelect>
            </span>
          )}
        </div>
      )}

      {contacts.length === 0 ? (
        <p className="text-muted">{t('cases.contacts.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[640px] text-left text-sm">
            <thead className="text-muted">
              <tr className="border-b border-line">
                {canMark && <th className="w-10 py-2">{t('cases.contacts.select')}</th>}
                <th className="py-2">{t('cases.contacts.name')}</th>
                <th className="py-2">{t('cases.contacts.idNumber')}</th>
                <th className="py-2">{t('cases.contacts.gap')}</th>
                <th className="py-2">{t('cases.contacts.visits')}</th>
                <th className="py-2">{t('cases.contacts.count')}</th>
                <th className="py-2">{t('cases.contacts.status')}</th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.personId} className="border-b border-line align-top" data-testid="case-contact" data-name={c.name}>
                  {canMark && (
                    <td className="py-2">
                      {c.mark !== 'marked' && (
                        <input
                          type="checkbox"
                          name="personIds"
                          value={c.personId}
                          checked={chosen.has(c.personId)}
                          onChange={() => toggle(c.personId)}
                          aria-label={c.name}
                          className="h-5 w-5"
                        />
                      )}
                    </td>
                  )}
                  <td className="py-2 font-medium">
                    {c.name}
                    {c.family && (
                      <span className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800" data-testid="case-family">
                        {t('cases.contacts.family')}
                      </span>
                    )}
                  </td>
                  <td className="py-2 font-mono">{c.idNumber}</td>
                  <td className="py-2 whitespace-nowrap">{minutes(c.minGapSeconds)}</td>
                  <td className="py-2">
                    {c.visits.map((v, i) => (
                      <div key={i}>{v.label}</div>
                    ))}
                  </td>
                  <td className="py-2">{c.count}</td>
                  <td className={cn('py-2 whitespace-nowrap', c.mark === 'marked' ? 'font-semibold text-danger' : 'text-muted')}>
                    {c.mark === 'marked'
                      ? t('cases.contacts.marked')
                      : c.mark === 'cleared'
                        ? t('cases.contacts.cleared')
                        : t('cases.contacts.notMarked')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {checkers.length > 0 && (
        <div className="rounded-xl bg-brand-50/50 p-3" data-testid="case-checkers">
          <h3 className="font-semibold">{t('cases.contacts.checkers')}</h3>
          <p className="mb-2 text-sm text-muted">{t('cases.contacts.checkersHint')}</p>
          <ul className="space-y-1 text-sm">
            {checkers.map((k) => (
              <li key={k.key} className="flex flex-wrap items-center gap-2">
                {canMark && k.selfPersonId && (
                  <input
                    type="checkbox"
                    name="personIds"
                    value={k.selfPersonId}
                    checked={chosen.has(k.selfPersonId)}
                    onChange={() => toggle(k.selfPersonId!)}
                    aria-label={k.displayName}
                    className="h-5 w-5"
                  />
                )}
                <span className="font-medium">{k.displayName}</span>
                <span className="text-muted">
                  {k.venueName} · {k.time}
                </span>
                {!k.selfPersonId && <span className="text-muted">（{t('cases.contacts.checkerNoPerson')}）</span>}
              </li>
            ))}
          </ul>
        </div>
      )}

      {canMark && (contacts.length > 0 || checkers.some((k) => k.selfPersonId)) && (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="danger" disabled={pending || chosen.size === 0} data-testid="case-mark">
            {t('cases.contacts.mark')}
          </Button>
          <span className="text-sm text-muted">{t('cases.contacts.selected', { count: chosen.size })}</span>
        </div>
      )}
      {state.done === 'marked' && state.counts && (
        <p role="status" className="text-sm font-medium text-ok" data-testid="case-mark-done">
          {t('cases.contacts.markDone', state.counts)}
        </p>
      )}
      <p role="alert" className="min-h-6 text-sm font-medium text-danger">
        {state.error ? errorMessage(t, 'cases.errors', state.error) : null}
      </p>
    </form>
  );
}
