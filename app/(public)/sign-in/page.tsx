import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { DEMO_ACCOUNTS } from '@/lib/demo/accounts';
import { getCurrentUser } from '@/lib/auth/require-user';
import { isProduction } from '@/lib/env';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { publicOrigin } from '@/lib/auth/public-origin';
import { SignInForm } from './_components/sign-in-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('signIn'))('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, await publicOrigin());
  if (await getCurrentUser()) redirect(callbackUrl);
  const [t, tl, locale] = await Promise.all([getTranslations('signIn'), getTranslations('accountLife.recover'), getLocale()]);
  const demo = isProduction() ? [] : DEMO_ACCOUNTS.map((d) => ({ phone: d.phone, label: d.label[locale === 'en' ? 'en' : 'zh'] }));
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="mb-5 mt-1 text-muted">{t('subtitle')}</p>
      <SignInForm callbackUrl={callbackUrl} demoAccounts={demo} />
      <p className="mt-4 text-center text-sm">
        <Link href="/recover" className="text-brand-700 underline-offset-2 hover:underline">
          {tl('link')}
        </Link>
      </p>
    </Card>
  );
}
