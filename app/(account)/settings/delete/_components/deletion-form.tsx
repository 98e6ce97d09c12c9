'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { toast } from '@/components/ui/toaster';
import { waitingOnDevice } from '@/lib/checkin/client/door-queue';
import { errorMessage } from '@/lib/i18n/message-of';
import { cancelDeletionAction, requestDeletionAction } from '../actions';

type Person = { id: string; name: string; idNumber: string };
type Choice = { action: 'erase' | 'hand_over'; phone: string };

export function DeletionForm({ persons }: { persons: Person[] }) {
  const t = useTranslations('accountLife.delete');
  const tr = useTranslations();
  const router = useRouter();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [error, setError] = useState<{ reason: string; personId?: string } | null>(null);
  const [waiting, setWaiting] = useState(0);
  const [pending, start] = useTransition();
  const errorId = useId();
  const set = (id: string, c: Partial<Choice>) =>
    setChoices((all) => ({ ...all, [id]: { ...(all[id] ?? { action: 'erase', phone: '' }), ...c } }));

  function confirm() {
    setError(null);
    start(async () => {
      const list = persons
        .filter((p) => choices[p.id])
        .map((p) => {
          const c = choices[p.id];
          return c.action === 'hand_over'
            ? { personId: p.id, action: 'hand_over' as const, phone: c.phone }
            : { personId: p.id, action: 'erase' as const };
        });
      const r = await requestDeletionAction(list);
      if (r.ok) {
        router.refresh();
        return;
      }
      setError({ reason: r.reason, personId: 'personId' in r ? r.personId : undefined });
    });
  }

  const text = error ? errorMessage(tr, 'accountLife.deleteErrors', error.reason) : null;
  return (
    <div className="space-y-4">
      {persons.length > 0 && (
        <Card className="space-y-4" data-testid="deletion-persons">
          <div>
            <h2 className="font-semibold">{t('personsTitle')}</h2>
            <p className="text-sm text-muted">{t('personsHint')}</p>
          </div>
          {persons.map((p) => {
            const c = choices[p.id];
            return (
              <div key={p.id} className="border-t border-line pt-3">
                <fieldset className="space-y-1" aria-invalid={error?.personId === p.id || undefined}>
                  <legend className="mb-1 font-medium">
                    {p.name} <span className="font-mono text-sm text-muted">{p.idNumber}</span>
                  </legend>
                  <label className="flex min-h-11 items-center gap-2">
                    <input
                      type="radio"
                      name={`choice-${p.id}`}
                      checked={c?.action === 'erase'}
                      onChange={() => set(p.id, { action: 'erase' })}
                    />
                    {t('erase')}
                  </label>
                  <label className="flex min-h-11 items-center gap-2">
                    <input
                      type="radio"
                      name={`choice-${p.id}`}
                      checked={c?.action === 'hand_over'}
                      onChange={() => set(p.id, { action: 'hand_over' })}
                    />
                    {t('handOver')}
                  </label>
                  {c?.action === 'hand_over' && (
                    <div>
                      <Label htmlFor={`hand-over-${p.id}`}>{t('handOverPhone')}</Label>
                      <Input
                        id={`hand-over-${p.id}`}
                        type="tel"
                        inputMode="numeric"
                        maxLength={16}
                        value={c.phone}
                        onChange={(e) => set(p.id, { phone: e.target.value })}
                        aria-describedby={`hand-over-${p.id}-hint`}
                      />
                      <p id={`hand-over-${p.id}-hint`} className="mt-1 text-sm text-muted">
                        {t('handOverHint')}
                      </p>
                    </div>
                  )}
                </fieldset>
              </div>
            );
          })}
        </Card>
      )}
      <ConfirmDialog
        onOpenChange={(open) => open && void waitingOnDevice().then(setWaiting)}
        trigger={
          <Button variant="danger" size="lg" className="w-full" disabled={pending}>
            {t('submit')}
          </Button>
        }
        title={t('confirmTitle')}
        body={t('confirmBody')}
        extra={waiting > 0 && <p className="mt-2 font-medium text-danger">{t('waiting', { count: waiting })}</p>}
        cancel={t('cancel')}
        action={t('confirm')}
        onConfirm={confirm}
      />
      <p id={errorId} role="alert" aria-live="assertive" className="min-h-6 font-medium text-danger">
        {text}
      </p>
    </div>
  );
}

export function CancelDeletionButton() {
  const t = useTranslations('accountLife');
  const tr = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      className="w-full sm:w-auto"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await cancelDeletionAction();
          if (r.ok) toast.success(t('deletionCancelled'));
          else toast.error(errorMessage(tr, 'accountLife.deleteErrors', r.reason));
          router.refresh();
        })
      }
    >
      {t('cancelDeletion')}
    </Button>
  );
}
