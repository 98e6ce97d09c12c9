'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { cn } from '@/lib/utils/cn';
import { NAV_ITEMS } from './nav-items';

function isActive(pathname: string, href: string) {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** Bottom tab bar on phones, inline links in the header on wide screens. */
export function NavLinks({ variant }: { variant: 'bottom' | 'top' }) {
  const t = useTranslations('nav');
  const pathname = usePathname();
  if (variant === 'top') {
    return (
      <nav aria-label={t('label')} className="hidden items-center gap-1 md:flex">
        {NAV_ITEMS.map(({ href, key }) => (
          <Link
            key={href}
            href={href}
            aria-current={isActive(pathname, href) ? 'page' : undefined}
            className={cn(
              'rounded-lg px-3 py-2 text-base text-white/90 hover:bg-white/10',
              isActive(pathname, href) && 'bg-white/15 font-semibold text-white',
            )}
          >
            {t(key)}
          </Link>
        ))}
      </nav>
    );
  }
  return (
    <nav
      aria-label={t('label')}
      className="no-print fixed inset-x-0 bottom-0 z-30 border-t border-line bg-white pb-[env(safe-area-inset-bottom)] md:hidden"
    >
      <ul className="grid grid-cols-4">
        {NAV_ITEMS.map(({ href, key, icon: Icon }) => {
          const active = isActive(pathname, href);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex h-16 flex-col items-center justify-center gap-1 text-xs',
                  active ? 'font-semibold text-brand-600' : 'text-muted',
                )}
              >
                <Icon aria-hidden size={24} strokeWidth={active ? 2.4 : 1.8} />
                {t(key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
