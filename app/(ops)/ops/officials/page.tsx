import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { officialsOfRegion } from '@/lib/officials/governance';
import { formatRegion, listRegionChildren } from '@/lib/regions/divisions';
import { chinaDateOf } from '@/lib/time';
import { OpsForbidden } from '../_components/ops-forbidden';
import { OpsLive } from '../_components/ops-live';
import { GrantForm } from './_components/grant-form';
import { OfficialRow } from './_components/official-row';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('officials.people'))('title') };
}

const words = (code: string) => formatRegion(code).replaceAll(' ', '');

/** 人员管理 (SPEC T1): the officials inside the actor's region; grant, move, revoke at or below it. */
export default async function OfficialsPage() {
  const user = await requireUser('/ops/officials');
  const t = await getTranslations('officials.people');
  const listed = await officialsOfRegion(await getDb(), user);
  if (!listed) return <OpsForbidden />;
  const root = listed.official.regionCode;
  const picker = { root, rootLabel: words(root), firstLevel: listRegionChildren(root) };
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <OpsLive />
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-muted">{t('intro')}</p>
      </div>
      <GrantForm {...picker} />
      <Card>
        <h2 className="text-lg font-semibold">{t('list')}</h2>
        <ul className="divide-y divide-line" data-testid="officials-list">
          {listed.officials.map((o) => (
            <OfficialRow
              key={o.accountId}
              official={{
                accountId: o.accountId,
                phone: o.phone,
                region: words(o.regionCode),
                since: chinaDateOf(o.grantedAt),
                self: o.self,
              }}
              {...picker}
            />
          ))}
        </ul>
        {listed.officials.length <= 1 && <p className="py-2 text-muted">{t('empty')}</p>}
      </Card>
    </div>
  );
}
