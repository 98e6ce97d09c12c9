import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/select';
import { getDb, type Db } from '@/db';
import type { AuditRow } from '@/db/queries/audit-reads';
import { AUDIT_ACTIONS, auditActionKey } from '@/lib/audit/actions';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { messageOf } from '@/lib/i18n/message-of';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { readRegionAudit, type AuditQuery } from '@/lib/officials/audit-reader';
import { isProvinceOfficial } from '@/lib/officials/scope';
import { formatRegion } from '@/lib/regions/divisions';
import { DocumentFields } from '../_components/document-fields';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auditLog'))('title') };
}

const FIELDS = ['actor', 'venue', 'idType', 'idNumber', 'nationality', 'action', 'from', 'to', 'page'] as const;

/** 审计日志 for officials: their region's audit log, filtered; the reading itself is audited (same transaction). */
export default async function OpsAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser('/ops/audit');
  const sp = await searchParams;
  const q: AuditQuery = {};
  for (const k of FIELDS) {
    const v = sp[k];
    if (typeof v === 'string' && v !== '') q[k] = v.slice(0, 200);
  }
  const db = await getDb();
  const read = await db.transaction((tx) => readRegionAudit(tx as unknown as Db, fieldKeysFromEnv(), user, q));
  const [t, to, tr, format] = await Promise.all([getTranslations('auditLog'), getTranslations('ops'), getTranslations(), getFormatter()]);
  if (!read.ok && read.reason === 'forbidden') {
    return (
      <Card className="mx-auto max-w-md text-center" data-testid="ops-forbidden">
        <h1 className="text-xl font-semibold">{to('forbiddenTitle')}</h1>
        <p className="mt-2 text-muted">{to('forbiddenBody')}</p>
      </Card>
    );
  }
  const errors = !read.ok && read.reason === 'invalid' ? read.errors : {};
  const fieldError = (k: keyof typeof errors) => (errors[k] ? messageOf(tr, 'auditLog.fieldErrors', errors[k], 'date') : null);
  const actionLabel = (a: string) => {
    const key = `auditLog.actions.${auditActionKey(a)}`;
    const look = tr as unknown as { has(k: string): boolean; (k: string): string };
    return look.has(key) ? look(key) : a;
  };
  const typeLabel = (type: string) => {
    const look = tr as unknown as { has(k: string): boolean; (k: string): string };
    return look.has(`auditLog.targetTypes.${type}`) ? look(`auditLog.targetTypes.${type}`) : type;
  };
  const target = (r: AuditRow) => {
    if (r.targetType === 'venue' && r.targetVenueName) return t('targets.venue', { name: r.targetVenueName });
    if (r.targetType === 'person' && r.targetNameMasked) return t('targets.person', { name: r.targetNameMasked });
    if (r.targetType === 'account' && r.targetPhone) return t('targets.account', { phone: maskPhone(r.targetPhone) });
    if (!r.targetType) return '';
    return t('targets.other', { type: typeLabel(r.targetType) });
  };
  const when = (d: Date) => format.dateTime(d, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    for (const k of FIELDS) if (k !== 'page' && q[k]) p.set(k, q[k]!);
    if (page > 1) p.set('page', String(page));
    const s = p.toString();
    return s ? `/ops/audit?${s}` : '/ops/audit';
  };
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {read.ok && (
        <p className="text-muted">
          {isProvinceOfficial(read.official) ? t('hintProvince') : t('hint')}{' '}
          <span className="whitespace-nowrap">{formatRegion(read.official.regionCode)}</span>
        </p>
      )}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('filters')}</h2>
        <form method="get" action="/ops/audit" className="grid gap-3 sm:grid-cols-2" data-testid="audit-filters">
          <Field id="audit-actor" label={t('actor')} error={fieldError('actor')}>
            <Input id="audit-actor" name="actor" type="tel" inputMode="numeric" defaultValue={q.actor} autoComplete="off" />
          </Field>
          <Field id="audit-venue" label={t('venue')} error={fieldError('venue')}>
            <Input id="audit-venue" name="venue" defaultValue={q.venue} autoComplete="off" />
          </Field>
          <DocumentFields
            idPrefix="audit"
            values={q}
            labels={{ idType: t('idType'), idNumber: t('idNumber'), nationality: t('nationality') }}
            idNumberError={fieldError('idNumber')}
          />
          <Field id="audit-action" label={t('action')} error={fieldError('action')}>
            <NativeSelect id="audit-action" name="action" defaultValue={q.action ?? ''}>
              <option value="">{t('anyAction')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <div className="grid grid-cols-2 gap-2">
            <Field id="audit-from" label={t('from')} error={fieldError('from')}>
              <Input id="audit-from" name="from" type="date" defaultValue={q.from} className="px-2 text-base" />
            </Field>
            <Field id="audit-to" label={t('to')} error={fieldError('to')}>
              <Input id="audit-to" name="to" type="date" defaultValue={q.to} className="px-2 text-base" />
            </Field>
          </div>
          <div className="flex items-center gap-3 sm:col-span-2">
            <Button type="submit">{t('search')}</Button>
            <Link href="/ops/audit" className="text-brand-600 underline">
              {t('reset')}
            </Link>
          </div>
        </form>
      </Card>
      {read.ok &&
        (read.rows.length === 0 ? (
          <Card>
            <p className="text-muted">{t('empty')}</p>
          </Card>
        ) : (
          <ul className="space-y-2" data-testid="audit-rows">
            {read.rows.map((r) => (
              <li key={r.id}>
                <Card className="space-y-1 p-4" data-testid="audit-row" data-action={r.action}>
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <p className="font-semibold">{actionLabel(r.action)}</p>
                    <time className="text-sm text-muted" dateTime={r.at.toISOString()}>
                      {when(r.at)}
                    </time>
                  </div>
                  <p className="text-sm">
                    <span className="text-muted">{t('whoLabel')}</span>
                    {r.actorPhone ? maskPhone(r.actorPhone) : t('system')}
                    {r.venueName && (
                      <>
                        <span className="text-muted"> · </span>
                        {r.venueName}
                      </>
                    )}
                  </p>
                  {target(r) && (
                    <p className="text-sm">
                      <span className="text-muted">{t('targetLabel')}</span>
                      {target(r)}
                    </p>
                  )}
                  {r.reason && (
                    <p className="text-sm break-words">
                      <span className="text-muted">{t('reasonLabel')}</span>
                      {r.reason}
                    </p>
                  )}
                </Card>
              </li>
            ))}
          </ul>
        ))}
      {read.ok && (read.page > 1 || read.hasMore) && (
        <nav className="flex items-center justify-between" aria-label={t('page', { page: read.page })}>
          {read.page > 1 ? (
            <Link className="text-brand-600 underline" href={pageHref(read.page - 1)}>
              {t('prev')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-muted">{t('page', { page: read.page })}</span>
          {read.hasMore ? (
            <Link className="text-brand-600 underline" href={pageHref(read.page + 1)}>
              {t('next')}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
