import { FileSearch, ScrollText, ShieldAlert, UserCog, UserPen } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { CAPABILITIES } from '@/lib/officials/capabilities';
import { officialOf } from '@/lib/officials/scope';
import { formatRegion } from '@/lib/regions/divisions';
import { LookupPanel } from './_components/lookup-panel';
import { OpsForbidden } from './_components/ops-forbidden';
import { OpsLive } from './_components/ops-live';
import { RebindAdminForm } from './_components/rebind-admin-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('ops'))('title') };
}

/** The officials' home (SPEC T1): their region, their tools, the look-up and the admin rebind. */
export default async function OpsPage() {
  const user = await requireUser('/ops');
  const [t, th] = await Promise.all([getTranslations('ops'), getTranslations('officials.home')]);
  // Read on every request: a revoked role sees the refusal at once.
  const official = await officialOf(await getDb(), user.accountId);
  if (!official) return <OpsForbidden />;
  const may = (c: keyof typeof CAPABILITIES) => CAPABILITIES[c].levels.includes(official.level);
  const links = [
    { href: '/ops/cases', label: th('cases'), icon: FileSearch, show: may('read_case') },
    { href: '/ops/red-codes', label: th('redCodes'), icon: ShieldAlert, show: may('follow_red_codes') },
    { href: '/ops/audit', label: th('audit'), icon: ScrollText, show: may('read_audit') },
    { href: '/ops/officials', label: th('officials'), icon: UserCog, show: may('grant_role') },
    { href: '/ops/corrections', label: th('corrections'), icon: UserPen, show: may('correct_identity') },
  ].filter((l) => l.show);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <OpsLive />
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-muted" data-testid="ops-region" data-region={official.regionCode}>
          {th('role', { region: formatRegion(official.regionCode).replaceAll(' ', '') })}
        </p>
      </div>
      <Card className="p-2">
        <h2 className="sr-only">{th('tools')}</h2>
        <ul className="grid grid-cols-2 gap-1 sm:grid-cols-3">
          {links.map(({ href, label, icon: Icon }) => (
            <li key={href}>
              <Link
                href={href}
                className="flex min-h-12 items-center gap-2 rounded-xl px-3 py-3 font-medium text-ink hover:bg-brand-50 focus-visible:bg-brand-50"
              >
                <Icon aria-hidden size={20} className="shrink-0 text-brand-600" />
                <span>{label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <LookupPanel />
      {may('rebind_admin') && <RebindAdminForm />}
    </div>
  );
}
