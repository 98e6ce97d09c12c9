import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { isHealthOfficial } from '@/lib/health-code/officials';
import { GrantForm } from './_components/grant-form';
import { LookupPanel } from './_components/lookup-panel';
import { RebindAdminForm } from './_components/rebind-admin-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('ops'))('title') };
}

async function CasesLink() {
  const t = await getTranslations('cases');
  return (
    <Card className="flex flex-wrap items-center justify-between gap-3">
      <span>
        <span className="block text-lg font-semibold">{t('title')}</span>
        <span className="text-sm text-muted">{t('intro')}</span>
      </span>
      <Link href="/ops/cases" className="font-medium text-brand-700 hover:underline" data-testid="ops-cases-link">
        {t('view')} →
      </Link>
    </Card>
  );
}

export default async function OpsPage() {
  const user = await requireUser('/ops');
  const t = await getTranslations('ops');
  if (!(await isHealthOfficial(await getDb(), user.accountId))) {
    return (
      <Card className="mx-auto max-w-md text-center" data-testid="ops-forbidden">
        <h1 className="text-xl font-semibold">{t('forbiddenTitle')}</h1>
        <p className="mt-2 text-muted">{t('forbiddenBody')}</p>
      </Card>
    );
  }
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <CasesLink />
      <LookupPanel />
      <RebindAdminForm />
      <GrantForm />
    </div>
  );
}
