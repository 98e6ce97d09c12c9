import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { maskPhone } from '@/lib/auth/phone';
import { requireUser } from '@/lib/auth/require-user';
import { pendingReplacementOfMyVenue } from '@/lib/venues/admin-replacement';
import { checkerTotalsOfMyVenue } from '@/lib/stats/venue-dashboard';
import { membersOfMyVenue } from '@/lib/venues/checkers';
import { VenueTabs } from '../_components/venue-tabs';
import { BindingMode } from './_components/binding-mode';
import { MemberButton } from './_components/member-buttons';
import { ReplaceAdmin } from './_components/replace-admin';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('members'))('title') };
}

/** member management (V7, V8): checkers by display name and masked phone; approve, remove, allow again; replace the admin. */
export default async function MembersPage() {
  const user = await requireUser('/venue/members');
  const db = await getDb();
  const members = await membersOfMyVenue(db, user);
  if (!members) redirect('/venue');
  const [t, ts, format, replacement, totals] = await Promise.all([
    getTranslations('members'),
    getTranslations('stats'),
    getFormatter(),
    pendingReplacementOfMyVenue(db, user),
    checkerTotalsOfMyVenue(db, user),
  ]);
  const countsOf = (bindingId: string) => {
    const c = totals?.get(bindingId);
    return `${ts('today')} ${c?.recordsToday ?? 0} / ${ts('feversCol')} ${c?.feversToday ?? 0} · ${ts('total')} ${c?.records ?? 0} / ${ts('feversCol')} ${c?.fevers ?? 0}`;
  };
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' });
  const section = (
    title: string,
    testId: string,
    rows: { key: string; name: string; phone: string; when: string; buttons: React.ReactNode }[],
    hint?: string,
  ) => (
    <Card className="p-2">
      <h2 className="px-3 pt-2 font-semibold">
        {title} <span className="text-muted">({rows.length})</span>
      </h2>
      {hint && <p className="px-3 text-sm text-muted">{hint}</p>}
      {rows.length === 0 ? (
        <p className="p-3 text-muted">{t('none')}</p>
      ) : (
        <ul className="divide-y divide-line" data-testid={testId}>
          {rows.map((r) => (
            <li key={r.key} className="flex flex-wrap items-center gap-3 p-3">
              <div className="min-w-0 flex-1">
                <p className="text-lg font-medium">{r.name}</p>
                <p className="text-sm text-muted">
                  <span className="font-mono">{r.phone}</span> · {r.when}
                </p>
              </div>
              <div className="flex gap-2">{r.buttons}</div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <VenueTabs current="members" />
      {section(
        t('pending'),
        'members-pending',
        members.pending.map((m) => ({
          key: m.bindingId,
          name: m.displayName,
          phone: m.maskedPhone,
          when: t('requestedAt', { date: date(m.requestedAt) }),
          buttons: (
            <>
              <MemberButton kind="approve" id={m.bindingId} name={m.displayName} />
              <MemberButton kind="reject" id={m.bindingId} name={m.displayName} />
            </>
          ),
        })),
      )}
      {section(
        t('active'),
        'members-active',
        members.active.map((m) => ({
          key: m.bindingId,
          name: m.displayName,
          phone: m.maskedPhone,
          when: `${t('boundSince', { date: date(m.boundFrom!) })} · ${countsOf(m.bindingId)}`,
          buttons: <MemberButton kind="remove" id={m.bindingId} name={m.displayName} />,
        })),
      )}
      {section(
        t('removed'),
        'members-removed',
        members.removed.map((m) => ({
          key: m.removalId,
          name: m.displayName,
          phone: m.maskedPhone,
          when: t('removedAt', { date: date(m.removedAt) }),
          buttons: <MemberButton kind="allow" id={m.removalId} name={m.displayName} />,
        })),
        t('removedHint'),
      )}
      <Card>
        <BindingMode mode={members.venue.bindingMode} />
      </Card>
      <Card>
        <ReplaceAdmin pending={replacement ? { maskedPhone: maskPhone(replacement.toPhone), expiresAt: replacement.expiresAt } : null} />
      </Card>
    </div>
  );
}
