import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { NAV_ITEMS } from '@/components/shell/nav-items';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getCurrentUser } from '@/lib/auth/require-user';

export default async function HomePage() {
  const [t, user] = await Promise.all([getTranslations(), getCurrentUser()]);
  const entries = NAV_ITEMS.filter((i) => i.href !== '/');
  return (
    <div className="space-y-5">
      <Card className="bg-gradient-to-br from-brand-600 to-brand-500 text-white">
        <h1 className="text-2xl font-semibold leading-snug">{t('home.title')}</h1>
        <p className="mt-2 leading-relaxed text-white/90">{t('home.guestIntro')}</p>
        {!user && (
          <Link href="/sign-in" className={buttonVariants({ variant: 'secondary', size: 'lg', className: 'mt-4 w-full sm:w-auto' })}>
            {t('home.signInPrompt')}
          </Link>
        )}
      </Card>
      <section aria-labelledby="entries">
        <h2 id="entries" className="mb-3 text-lg font-semibold">
          {t('home.entries')}
        </h2>
        <ul className="grid gap-3 sm:grid-cols-3">
          {entries.map(({ href, key, icon: Icon }) => (
            <li key={href}>
              <Link
                href={href}
                className="flex h-full items-center gap-4 rounded-2xl border border-line bg-white p-4 shadow-sm hover:border-brand-500"
              >
                <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded-xl bg-brand-50 text-brand-600">
                  <Icon aria-hidden size={28} />
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block text-lg font-semibold">{t(`nav.${key}`)}</span>
                  <span className="block text-sm text-muted">{t(`home.${key}Desc`)}</span>
                </span>
                <ChevronRight aria-hidden className="text-muted" />
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
