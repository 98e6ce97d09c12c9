import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { cn } from '@/lib/utils/cn';

const TABS = [
  { href: '/venue', key: 'overview' },
  { href: '/venue/stats', key: 'stats' },
  { href: '/venue/members', key: 'members' },
  { href: '/venue/entrances', key: 'entrances' },
  { href: '/venue/edit', key: 'edit' },
  { href: '/venue/alerts', key: 'alerts' },
  { href: '/venue/audit', key: 'audit' },
] as const;

/** The admin's sections of My Venue, as links so each is its own page. */
export async function VenueTabs({ current }: { current: (typeof TABS)[number]['key'] }) {
  const t = await getTranslations('venue.tabs');
  const te = await getTranslations('entrances');
  const ta = await getTranslations('alerts');
  const tl = await getTranslations('auditLog');
  const label = (key: (typeof TABS)[number]['key']) =>
    key === 'entrances' ? te('tab') : key === 'alerts' ? ta('tab') : key === 'audit' ? tl('venueTab') : t(key);
  return (
    <nav aria-label={t('overview')} className="no-print">
      {/* Seven tabs do not fit one row of a phone in Chinese: four a row there, one row from sm up. */}
      <ul className="grid grid-cols-4 gap-1 rounded-xl bg-white p-1 shadow-sm sm:flex">
        {TABS.map((tab) => (
          <li key={tab.key} className="flex-1">
            <Link
              href={tab.href}
              aria-current={tab.key === current ? 'page' : undefined}
              className={cn(
                'flex h-11 items-center justify-center rounded-lg text-[15px] whitespace-nowrap sm:text-base',
                tab.key === current ? 'bg-brand-600 font-semibold text-white' : 'text-ink hover:bg-brand-50',
              )}
            >
              {label(tab.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
