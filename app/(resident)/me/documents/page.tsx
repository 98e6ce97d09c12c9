import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireUser } from '@/lib/auth/require-user';
import { documentsOf } from '@/lib/identity/documents';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { chinaDateOf } from '@/lib/time';
import { isUuid } from '@/lib/utils/uuid';
import { RenewPassportForm } from './_components/renew-passport-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('documents'))('title') };
}

/** 证件信息: the number shown and the earlier ones (masked); a passport holder adds a renewed passport (H4). */
export default async function DocumentsPage({ searchParams }: { searchParams: Promise<{ p?: string }> }) {
  const { p } = await searchParams;
  const user = await requireUser(`/me/documents${p ? `?p=${encodeURIComponent(p)}` : ''}`);
  if (!p || !isUuid(p)) notFound();
  const [t, tp, found] = await Promise.all([getTranslations('documents'), getTranslations('person'), documentsOf(await getDb(), user, p)]);
  if (!found) notFound();
  const { person, documents } = found;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <Card className="space-y-3">
        <p className="font-medium">
          {decryptField(fieldKeysFromEnv(), person.nameEnc)} · {tp(`idTypes.${person.idType as 'passport'}`)}
        </p>
        <ul className="divide-y divide-line" data-testid="documents-list">
          {documents.map((d, i) => (
            <li key={d.idHash} className="flex items-center justify-between gap-3 py-2">
              <span className="font-mono text-lg tracking-wide">
                {d.nationality ? `${d.nationality} ` : ''}
                {d.idNumberMasked}
              </span>
              <span className="shrink-0 text-sm text-muted">
                {i === 0 ? t('current') : t('earlier')} · {t('since', { date: chinaDateOf(d.addedAt) })}
              </span>
            </li>
          ))}
        </ul>
        {documents.length > 1 && <p className="text-sm text-muted">{t('earlierHint')}</p>}
      </Card>
      {person.idType === 'passport' ? (
        <Card className="space-y-3">
          <h2 className="text-lg font-semibold">{t('renewTitle')}</h2>
          <p className="text-muted">{t('renewIntro')}</p>
          <RenewPassportForm personId={person.id} nationality={documents[0]?.nationality ?? ''} />
        </Card>
      ) : (
        <p className="text-muted" data-testid="documents-not-passport">
          {t('notPassport')}
        </p>
      )}
      <Link href={`/me?p=${person.id}`} className="inline-block text-brand-600 underline-offset-4 hover:underline">
        {t('back')}
      </Link>
    </div>
  );
}
