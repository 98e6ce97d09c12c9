'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ActionButton } from '@/components/action-button';
import { Button } from '@/components/ui/button';
import { Field, fieldAria } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import { errorMessage } from '@/lib/i18n/message-of';
import { removeEntranceAction, renameEntranceAction } from '../actions';

/** `named`: the main entrance has a name of its own (else it is shown as 主入口, and needs no badge). */
type Row = { id: string; name: string; isMain: boolean; named: boolean };

/** One open entrance: its name, rename in place, and remove after a confirmation (never the main one). */
export function EntranceRow({ entrance, when }: { entrance: Row; when: string }) {
  const t = useTranslations('entrances');
  const tr = useTranslations();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(entrance.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorText = (r?: string) => errorMessage(tr, 'entrances.errors', r);
  const fieldId = `rename-${entrance.id}`;

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await renameEntranceAction(entrance.id, name);
    setBusy(false);
    if (!result.ok) return setError(errorText(result.reason));
    setError(null);
    setEditing(false);
    toast.success(t('renamed'));
    router.refresh();
  }

  if (editing)
    return (
      <li className="p-3">
        <form onSubmit={save} noValidate className="space-y-2" data-testid={`rename-form-${entrance.name}`}>
          <Field id={fieldId} label={t('renameTitle', { name: entrance.name })} hint={t('nameHint')} error={error}>
            <Input
              id={fieldId}
              value={name}
              maxLength={40}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              {...fieldAria(fieldId, error, t('nameHint'))}
            />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={busy}>
              {t('save')}
            </Button>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => {
                setEditing(false);
                setName(entrance.name);
                setError(null);
              }}
            >
              {t('cancel')}
            </Button>
          </div>
        </form>
      </li>
    );
  return (
    <li className="flex flex-wrap items-center gap-3 p-3" data-testid={`entrance-${entrance.name}`}>
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-lg font-medium">
          <span className="break-all">{entrance.name}</span>
          {entrance.isMain && entrance.named && (
            <span className="rounded-full bg-brand-50 px-2.5 py-0.5 text-sm text-brand-700">{t('mainBadge')}</span>
          )}
        </p>
        <p className="text-sm text-muted">{entrance.isMain ? `${when} · ${t('mainHint')}` : when}</p>
      </div>
      <div className="flex gap-2">
        <Button size="sm" variant="secondary" onClick={() => setEditing(true)} data-testid={`rename-${entrance.name}`}>
          {t('rename')}
        </Button>
        {!entrance.isMain && (
          <ActionButton
            run={() => removeEntranceAction(entrance.id)}
            variant="danger"
            label={t('remove')}
            confirm={{
              title: t('removeConfirm', { name: entrance.name }),
              body: t('removeBody'),
              action: t('remove'),
              cancel: t('cancel'),
            }}
            success={t('removedDone')}
            errorText={errorText}
            testId={`remove-${entrance.name}`}
          />
        )}
      </div>
    </li>
  );
}
