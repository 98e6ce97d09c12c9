import { ThermometerSun } from 'lucide-react';
import { getTranslations } from 'next-intl/server';
import { NotFoundCard } from '@/components/not-found-card';

// The root boundary is part of every page's payload, the scanner's offline shell included: with the
// site's header here, every page would load the account menu's dropdown and dialog eagerly. Groups that
// have the header show their own not-found inside it ((resident)/not-found.tsx); unknown addresses get
// this page with a plain brand bar (server-rendered, no client code) so people still know where they are.
export default async function NotFound() {
  const t = await getTranslations('app');
  return (
    <>
      <header className="bg-brand-600 text-white shadow">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-2 px-4 text-lg font-semibold">
          <ThermometerSun aria-hidden size={24} />
          <span className="truncate">{t('name')}</span>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 pt-10">
        <NotFoundCard />
      </main>
    </>
  );
}
