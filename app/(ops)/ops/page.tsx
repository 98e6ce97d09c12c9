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

export default async function OpsPage() {
  const user = await requireUser('/ops');
  const t = await getTranslations('ops');
  const tr = await getTranslations();
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
      <nav className="grid gap-2 sm:grid-cols-2" data-testid="ops-links">
        <Link
          href="/ops/red-codes"
          className="flex h-12 items-center justify-center rounded-xl bg-white px-4 font-medium text-danger shadow-sm hover:bg-brand-50"
        >
          {tr('doorRed.navLink')}
        </Link>
        <Link
          href="/ops/audit"
          className="flex h-12 items-center justify-center rounded-xl bg-white px-4 font-medium text-brand-600 shadow-sm hover:bg-brand-50"
        >
          {tr('auditLog.navLink')}
        </Link>
      </nav>
      <LookupPanel />
      <RebindAdminForm />
      <GrantForm />
    </div>
  );
}
