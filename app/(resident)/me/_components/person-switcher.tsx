import { Plus } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { cn } from '@/lib/utils/cn';

export type SwitcherPerson = { id: string; label: string; relation: 'self' | 'family' };

/** H3: switch between one's own code and the family members' codes. */
export async function PersonSwitcher({ persons, selectedId }: { persons: SwitcherPerson[]; selectedId: string }) {
  const t = await getTranslations('healthCode');
  return (
    <nav aria-label={t('switchPerson')} className="-mx-4 overflow-x-auto px-4">
      <ul className="flex gap-2 pb-1">
        {persons.map((p) => {
          const active = p.id === selectedId;
          return (
            <li key={p.id} className="shrink-0">
              <Link
                href={`/me?p=${p.id}`}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex h-11 items-center gap-1.5 rounded-full border px-4 text-base',
                  active ? 'border-brand-600 bg-brand-600 font-semibold text-white' : 'border-line bg-white text-ink',
                )}
              >
                <span className={cn('text-xs', active ? 'text-white/80' : 'text-muted')}>{t(p.relation)}</span>
                {p.label}
              </Link>
            </li>
          );
        })}
        <li className="shrink-0">
          <Link
            href="/me/family/new"
            className="flex h-11 items-center gap-1 rounded-full border border-dashed border-brand-500 px-4 text-brand-600"
          >
            <Plus aria-hidden size={18} />
            {t('addFamily')}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
