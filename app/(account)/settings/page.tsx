import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LanguageSwitch } from '@/components/shell/language-switch';
import { Card } from '@/components/ui/card';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { SignOutButton, SignOutEverywhereButton } from './_components/sign-out-buttons';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const user = await requireUser('/settings');
  const t = await getTranslations();
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">{t('settings.title')}</h1>
      <Card>
        <dl className="divide-y divide-line">
          <div className="flex items-center justify-between gap-4 pb-4">
            <dt className="text-muted">{t('settings.phone')}</dt>
            <dd className="font-mono text-lg" data-testid="settings-phone">
              {maskPhone(user.phone)}
            </dd>
          </div>
          <div className="flex items-center justify-between gap-4 pt-4">
            <dt className="text-muted">{t('settings.language')}</dt>
            <dd className="flex items-center gap-3">
              <span>{t('language.current')}</span>
              <LanguageSwitch tone="dark" />
            </dd>
          </div>
        </dl>
      </Card>
      <Card className="space-y-4">
        <div>
          <SignOutButton />
          <p className="mt-2 text-sm text-muted">{t('settings.signOutHint')}</p>
        </div>
        <div className="border-t border-line pt-4">
          <SignOutEverywhereButton />
          <p className="mt-2 text-sm text-muted">{t('settings.signOutEverywhereHint')}</p>
        </div>
      </Card>
    </div>
  );
}
