import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { formatRegion } from '@/lib/regions/divisions';
import { chinaDateOf } from '@/lib/time';
import { listCases, LOOKBACK_MAX_DAYS, WINDOW_DEFAULT, WINDOW_MAX, WINDOW_MIN } from '@/lib/tracing/cases';
import { cn } from '@/lib/utils/cn';
import { OpsForbidden } from './_components/forbidden';
import { OpenCaseForm } from './_components/open-case-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cases'))('title') };
}

type Row = { id: string; kind: string; indexDate: string; status: string; regionName: string; openedAt: Date };

/** 流调病例: the cases of my region (open first), those handed to my region, and a form to open one. */
export default async function CasesPage() {
  const user = await requireUser('/ops/cases');
  const listed = await listCases(await getDb(), user);
  if (!listed.ok) return <OpsForbidden />;
  const [t, format] = await Promise.all([getTranslations('cases'), getFormatter()]);
  const when = (d: Date) =>
    format.dateTime(d, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

  const list = (rows: Row[], empty: string, testId: string) =>
    rows.length === 0 ? (
      <p className="text-muted">{empty}</p>
    ) : (
      <ul className="divide-y divide-line" data-testid={testId}>
        {rows.map((c) => (
          <li key={c.id}>
            <Link
              href={`/ops/cases/${c.id}`}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 py-3 hover:bg-brand-50"
              data-testid="case-row"
            >
              <span
                className={cn(
                  'rounded-full px-2 text-sm font-medium leading-6',
                  c.status === 'open' ? 'bg-danger-bg text-danger' : 'bg-gray-100 text-muted',
                )}
              >
                {c.status === 'open' ? t('open') : t('closed')}
              </span>
              <span className="font-semibold">{t(`kinds.${c.kind as 'confirmed'}`)}</span>
              <span className="text-sm">{t('indexDateShort', { date: c.indexDate })}</span>
              <span className="text-sm text-muted">{c.regionName}</span>
              <span className="ml-auto text-sm text-muted">{t('openedAt', { time: when(c.openedAt) })}</span>
            </Link>
          </li>
        ))}
      </ul>
    );

  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-sm text-muted">{t('intro')}</p>
      </div>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('mine')}</h2>
        {list(listed.mine, t('none'), 'cases-mine')}
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">{t('handed')}</h2>
        <p className="mb-2 text-sm text-muted">{t('handedHint')}</p>
        {list(listed.handed, t('noneHanded'), 'cases-handed')}
      </Card>
      <OpenCaseForm
        today={chinaDateOf(new Date())}
        region={formatRegion(listed.official.regionCode)}
        bounds={{ maxDays: LOOKBACK_MAX_DAYS, def: WINDOW_DEFAULT, min: WINDOW_MIN, max: WINDOW_MAX }}
      />
    </div>
  );
}
