import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { auditActionKey } from '@/lib/audit/actions';
import { requireUser } from '@/lib/auth/require-user';
import { venueAuditOf, type VenueAuditEntry } from '@/lib/venues/venue-audit';
import { VenueTabs } from '../_components/venue-tabs';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auditLog'))('venueTitle') };
}

/** 审计记录: the venue's own management actions, through a whitelist; nothing of a visitor. */
export default async function VenueAuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser('/venue/audit');
  const page = Number.parseInt((await searchParams).page ?? '1', 10) || 1;
  const read = await venueAuditOf(await getDb(), user, page);
  if (!read.ok) redirect('/venue');
  const [t, tr, format] = await Promise.all([getTranslations('auditLog'), getTranslations(), getFormatter()]);
  const look = tr as unknown as { has(k: string): boolean; (k: string, v?: Record<string, string | number>): string };
  const label = (a: string) => (look.has(`auditLog.actions.${auditActionKey(a)}`) ? look(`auditLog.actions.${auditActionKey(a)}`) : a);
  const detail = (e: VenueAuditEntry) => {
    const d = e.details;
    if (e.action === 'venue.binding_mode' && (d.mode === 'approval' || d.mode === 'immediate')) return t(`details.mode.${d.mode}`);
    if (e.action === 'entrance.rename' && d.from !== undefined)
      return t('details.rename', { from: String(d.from), to: String(d.to ?? '') });
    if (d.name !== undefined) return t('details.name', { name: String(d.name) });
    if (e.action === 'stats.export' && d.kind !== undefined) {
      const parts = [t('details.kind', { kind: String(d.kind) })];
      if (d.from && d.to) parts.push(t('details.range', { from: String(d.from), to: String(d.to) }));
      if (d.rows !== undefined) parts.push(t('details.rows', { rows: Number(d.rows) }));
      return parts.join(' · ');
    }
    return null;
  };
  const when = (d: Date) => format.dateTime(d, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('venueTitle')}</h1>
      <VenueTabs current="audit" />
      <p className="text-muted">{t('venueHint')}</p>
      {read.entries.length === 0 ? (
        <Card>
          <p className="text-muted">{t('venueEmpty')}</p>
        </Card>
      ) : (
        <Card className="p-2">
          <ul className="divide-y divide-line" data-testid="venue-audit-rows">
            {read.entries.map((e) => (
              <li key={e.id} className="space-y-1 p-3" data-action={e.action}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium">{label(e.action)}</p>
                  <time className="text-sm text-muted" dateTime={e.at.toISOString()}>
                    {when(e.at)}
                  </time>
                </div>
                <p className="text-sm text-muted">
                  {t('whoIs', { who: e.actor })}
                  {detail(e) && <span className="text-ink"> · {detail(e)}</span>}
                </p>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {(read.page > 1 || read.hasMore) && (
        <nav className="flex items-center justify-between" aria-label={t('page', { page: read.page })}>
          {read.page > 1 ? (
            <Link className="text-brand-600 underline" href={`/venue/audit?page=${read.page - 1}`}>
              {t('prev')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-muted">{t('page', { page: read.page })}</span>
          {read.hasMore ? (
            <Link className="text-brand-600 underline" href={`/venue/audit?page=${read.page + 1}`}>
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
