import { ChevronRight, History, IdCard, Link2, Printer, ShieldCheck, Thermometer, UserPen, UserPlus, Users } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { personsOfAccount } from '@/db/queries/persons';
import { requireUser } from '@/lib/auth/require-user';
import { canHaveOfflineCode } from '@/lib/health-code/offline-eligibility';
import { getCodeForAccount } from '@/lib/health-code/personal-codes';
import { codeKeysFromEnv } from '@/lib/health-code/token';
import { CORRECTABLE } from '@/lib/identity/correctable';
import { decryptField, fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isUuid } from '@/lib/utils/uuid';
import { CodeCard } from './_components/code-card';
import { CodeRefresher } from './_components/code-refresher';
import { PersonSwitcher } from './_components/person-switcher';
import { ReissueButton } from './_components/reissue-button';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('healthCode'))('title') };
}

export default async function MyCodePage({ searchParams }: { searchParams: Promise<{ p?: string }> }) {
  const user = await requireUser('/me');
  const [{ p }, t, db] = await Promise.all([searchParams, getTranslations('healthCode'), getDb()]);
  const persons = await personsOfAccount(db, user.accountId);

  if (persons.length === 0) {
    return (
      <Card className="mx-auto max-w-lg space-y-4 text-center">
        <h1 className="text-2xl font-semibold">{t('emptyTitle')}</h1>
        <p className="text-muted">{t('emptyBody')}</p>
        <div className="flex flex-col gap-2 sm:flex-row sm:justify-center">
          <Link href="/me/register" className={buttonVariants({ size: 'lg' })}>
            {t('registerSelf')}
          </Link>
          <Link href="/me/family/new" className={buttonVariants({ variant: 'secondary', size: 'lg' })}>
            {t('addFamily')}
          </Link>
        </div>
        <Link href="/me/requests" className="inline-block text-brand-600 underline-offset-4 hover:underline">
          {(await getTranslations('consent'))('links.requests')}
        </Link>
      </Card>
    );
  }

  const selectedId = p && isUuid(p) ? p : persons[0].id;
  const code = await getCodeForAccount(db, { codeKeys: codeKeysFromEnv(), fieldKeys: fieldKeysFromEnv() }, user, selectedId, 'personal');
  if (!code) notFound();
  const keys = fieldKeysFromEnv();
  const hasSelf = persons.some((x) => x.relation === 'self');
  const tr = await getTranslations('records');
  const tl = await getTranslations('consent');
  const to = await getTranslations('officials.request');
  const tdoc = await getTranslations('documents');
  // SPEC L1: a family member with an account of their own re-issues their own code.
  const selected = persons.find((x) => x.id === code.personId);
  const reissueSelfOnly = selected?.relation === 'family' && Boolean(selected.selfAccountId);
  const actions = [
    { href: '/me/records', label: tr('link'), icon: Thermometer },
    { href: `/me/log?p=${code.personId}`, label: t('displayLog'), icon: History },
    ...(canHaveOfflineCode(code.birthDate) ? [{ href: `/me/print/${code.personId}`, label: t('printOffline'), icon: Printer }] : []),
    // SPEC L2: a passport or permit holder's name, birth date or gender can be corrected by an official.
    ...(selected && CORRECTABLE.includes(selected.idType)
      ? [{ href: `/me/correction?p=${code.personId}`, label: to('link'), icon: UserPen }]
      : []),
    // H4: a renewed passport's number is added here (the old one keeps working).
    ...(selected && CORRECTABLE.includes(selected.idType)
      ? [{ href: `/me/documents?p=${code.personId}`, label: tdoc('link'), icon: IdCard }]
      : []),
    { href: '/me/family', label: t('manageFamily'), icon: Users },
    ...(hasSelf ? [{ href: '/me/guardians', label: tl('links.guardians'), icon: ShieldCheck }] : []),
    { href: '/me/requests', label: tl('links.requests'), icon: Link2 },
    ...(hasSelf ? [] : [{ href: '/me/register', label: t('registerSelf'), icon: UserPlus }]),
  ];

  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="sr-only">{t('title')}</h1>
      <PersonSwitcher
        persons={persons.map((x) => ({ id: x.id, relation: x.relation, label: decryptField(keys, x.nameEnc) }))}
        selectedId={code.personId}
      />
      <CodeRefresher personId={code.personId} kind="personal" />
      <CodeCard code={code} />
      <Card className="p-2">
        <h2 className="sr-only">{t('actions')}</h2>
        <ul className="divide-y divide-line">
          {actions.map(({ href, label, icon: Icon }) => (
            <li key={href}>
              <Link href={href} className="flex h-14 items-center gap-3 rounded-lg px-3 text-base hover:bg-brand-50">
                <Icon aria-hidden size={22} className="text-brand-600" />
                <span className="flex-1">{label}</span>
                <ChevronRight aria-hidden className="text-muted" size={20} />
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      {reissueSelfOnly ? (
        <p className="mx-auto max-w-sm text-center text-sm text-muted" data-testid="reissue-self-only">
          {tl('errors.self_only')}
        </p>
      ) : (
        <ReissueButton personId={code.personId} />
      )}
    </div>
  );
}
