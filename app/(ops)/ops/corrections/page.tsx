import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { correctionsForOfficial } from '@/lib/identity/corrections';
import { OpsForbidden } from '../_components/ops-forbidden';
import { OpsLive } from '../_components/ops-live';
import { CorrectionItem } from './_components/correction-item';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('officials.corrections'))('title') };
}

/** 身份更正 (SPEC L2): pending requests of persons inside the official's region, masked; apply or refuse. */
export default async function CorrectionsPage() {
  const user = await requireUser('/ops/corrections');
  const [t, tp, format] = await Promise.all([getTranslations('officials.corrections'), getTranslations('person'), getFormatter()]);
  const listed = await correctionsForOfficial(await getDb(), user);
  if (!listed) return <OpsForbidden />;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <OpsLive />
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-muted">{t('intro')}</p>
      </div>
      <Card>
        {listed.requests.length === 0 ? (
          <p className="text-muted" data-testid="corrections-empty">
            {t('empty')}
          </p>
        ) : (
          <ul className="divide-y divide-line">
            {listed.requests.map((r) => (
              <CorrectionItem
                key={r.id}
                request={{
                  id: r.id,
                  idTypeLabel: tp(`idTypes.${r.idType as 'passport'}`),
                  nameMasked: r.nameMasked,
                  idNumberMasked: r.idNumberMasked,
                  gender: r.gender,
                  birthDate: r.birthDate,
                  note: r.note ?? '',
                  requestedAt: format.dateTime(r.requestedAt, {
                    month: 'long',
                    day: 'numeric',
                    hour: '2-digit',
                    minute: '2-digit',
                    hour12: false,
                  }),
                }}
              />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
