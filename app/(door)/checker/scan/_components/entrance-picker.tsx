'use client';

import { DoorOpen } from 'lucide-react';
import { useTranslations } from 'next-intl';
import type { DoorEntrance } from '@/lib/checkin/door-context';
import { cn } from '@/lib/utils/cn';

/**
 * Which entrance the checker stands at: shown above the camera, switchable at any time. Only when the
 * venue has more than one open entrance (with one, every record is taken at the main entrance anyway).
 */
export function EntrancePicker({
  entrances,
  current,
  open,
  onOpen,
  onPick,
  fellBack,
}: {
  entrances: DoorEntrance[];
  current: DoorEntrance | null;
  open: boolean;
  onOpen: (open: boolean) => void;
  onPick: (entrance: DoorEntrance) => void;
  fellBack: boolean;
}) {
  const t = useTranslations('entrances');
  if (entrances.length < 2 || !current) return null;
  const nameOf = (e: DoorEntrance) => e.name ?? t('main');
  return (
    <section className="rounded-2xl bg-white p-3 shadow-sm" data-testid="entrance-picker" data-entrance-id={current.id}>
      <div className="flex items-center gap-2">
        <DoorOpen aria-hidden size={22} className="shrink-0 text-brand-600" />
        <p className="min-w-0 flex-1 truncate text-lg font-semibold" data-testid="entrance-current">
          {t('door.current', { name: nameOf(current) })}
        </p>
        <button
          type="button"
          aria-expanded={open}
          onClick={() => onOpen(!open)}
          className="h-11 shrink-0 rounded-xl px-3 text-base font-medium text-brand-600 hover:bg-brand-50"
        >
          {open ? t('door.close') : t('door.change')}
        </button>
      </div>
      {fellBack && (
        <p role="status" className="mt-2 rounded-xl bg-amber-100 p-2 text-amber-950">
          {t('door.fallback')}
        </p>
      )}
      {open && (
        <fieldset className="mt-2">
          <legend className="font-medium">{t('door.pickTitle')}</legend>
          <p className="text-sm text-muted">{t('door.pickHint')}</p>
          <div className="mt-2 grid grid-cols-2 gap-2">
            {entrances.map((e) => (
              <button
                key={e.id}
                type="button"
                aria-pressed={e.id === current.id}
                onClick={() => onPick(e)}
                className={cn(
                  'min-h-12 break-all rounded-xl border px-2 py-2 text-lg font-semibold',
                  e.id === current.id ? 'border-brand-600 bg-brand-600 text-white' : 'border-line bg-white text-ink active:bg-brand-50',
                )}
              >
                {nameOf(e)}
              </button>
            ))}
          </div>
        </fieldset>
      )}
    </section>
  );
}
