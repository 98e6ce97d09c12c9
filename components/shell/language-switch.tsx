'use client';

import { Languages } from 'lucide-react';
import { useLocale, useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { setLocale } from '@/lib/i18n/actions';
import { cn } from '@/lib/utils/cn';

/** One tap switches between Chinese and English; the choice is remembered in a cookie. */
export function LanguageSwitch({ tone = 'light' }: { tone?: 'light' | 'dark' }) {
  const t = useTranslations('language');
  const locale = useLocale();
  const [pending, startTransition] = useTransition();
  const next = locale === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => startTransition(async () => void (await setLocale(next)))}
      className={cn(
        'inline-flex h-10 items-center gap-1.5 rounded-lg px-3 text-sm font-medium',
        tone === 'light' ? 'text-white hover:bg-white/10' : 'border border-line text-ink hover:bg-brand-50',
      )}
    >
      <Languages aria-hidden size={18} />
      <span className="sr-only">{t('switchLabel')}: </span>
      <span lang={next}>{t('switchTo')}</span>
    </button>
  );
}
