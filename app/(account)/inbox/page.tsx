import {
  BadgeCheck,
  Bell,
  BellOff,
  Link2,
  QrCode,
  Share2,
  ShieldAlert,
  ShieldCheck,
  Smartphone,
  Store,
  Thermometer,
  UserCheck,
  UserMinus,
  UserPlus,
  UserRoundCog,
  UserX,
  Users,
} from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import type { InboxNotice } from '@/db/queries/notices';
import { requireUser } from '@/lib/auth/require-user';
import { inboxPage, unreadLabel, unreadNotices } from '@/lib/notices/inbox';
import { cn } from '@/lib/utils/cn';
import { MarkAllRead } from './_components/mark-all-read';
import { NoticeLink } from './_components/notice-link';
import { viewNotice } from './_components/notice-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('title') };
}

const ICONS = {
  fever: Thermometer,
  red_code: ShieldAlert,
  checker_pending: UserPlus,
  admin_invitation: UserRoundCog,
  binding_approved: BadgeCheck,
  binding_removed: UserMinus,
  venue_closed: Store,
  link_request: Link2,
  link_result: UserCheck,
  guardian_added: Users,
  guardian_removed: UserMinus,
  code_reissued: QrCode,
  phone_change: Smartphone,
  account_deletion: UserX,
  close_contact: ShieldAlert,
  close_contact_cleared: ShieldCheck,
  case_handoff: Share2,
} satisfies Partial<Record<InboxNotice['kind'], unknown>>;

const TONES = {
  danger: 'bg-danger-bg text-danger',
  warn: 'bg-amber-50 text-amber-800',
  info: 'bg-brand-50 text-brand-700',
};

/** 消息通知: the account's notices, newest first, 20 a page; opening one marks it read. */
export default async function InboxPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser('/inbox');
  const page = Math.min(Math.max(0, Number.parseInt((await searchParams).page ?? '0', 10) || 0), 1000);
  const db = await getDb();
  const now = new Date();
  const [t, tc, format, list, unread] = await Promise.all([
    getTranslations('inbox'),
    getTranslations('cases'),
    getFormatter(),
    inboxPage(db, user, page, now),
    unreadNotices(db, user),
  ]);

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="flex items-center gap-2 text-2xl font-semibold">
          <Bell aria-hidden size={24} className="text-brand-600" />
          {t('title')}
          {unread > 0 && (
            <span className="rounded-full bg-danger px-2 text-sm font-semibold leading-6 text-white" data-testid="inbox-unread">
              {t('unreadCount', { count: unreadLabel(unread) })}
            </span>
          )}
        </h1>
        {unread > 0 && <MarkAllRead />}
      </div>
      <p className="text-sm text-muted">{t('intro')}</p>

      {list.notices.length === 0 ? (
        <Card className="flex flex-col items-center gap-2 py-10 text-center" data-testid="inbox-empty">
          <BellOff aria-hidden size={36} className="text-muted" />
          <p className="text-lg font-semibold">{t('empty')}</p>
          <p className="text-sm text-muted">{t('emptyHint')}</p>
        </Card>
      ) : (
        <ul className="divide-y divide-line rounded-2xl border border-line bg-white p-1 shadow-sm" data-testid="inbox-list">
          {list.notices.map((n) => {
            const v = viewNotice(t, format, n, now, tc);
            const Icon = (ICONS as Partial<Record<InboxNotice['kind'], typeof Bell>>)[n.kind] ?? Bell;
            return (
              <li key={n.id} data-testid="inbox-item" data-kind={n.kind} data-read={n.read}>
                <NoticeLink id={n.id} read={n.read} href={v.href}>
                  <span className={cn('mt-0.5 flex h-10 w-10 shrink-0 items-center justify-center rounded-full', TONES[v.tone])}>
                    <Icon aria-hidden size={22} />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-baseline justify-between gap-x-3">
                      <span className={cn('flex items-center gap-2', n.read ? 'font-medium text-ink' : 'font-bold text-ink')}>
                        {!n.read && (
                          <span
                            className="h-2.5 w-2.5 shrink-0 rounded-full bg-danger"
                            role="img"
                            aria-label={t('unread')}
                            data-testid="inbox-unread-dot"
                          />
                        )}
                        {v.label}
                      </span>
                      <time
                        dateTime={n.createdAt.toISOString()}
                        className="text-sm tabular-nums text-muted"
                        title={format.dateTime(n.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                      >
                        {format.relativeTime(n.createdAt, now)}
                      </time>
                    </span>
                    <span className={cn('mt-0.5 block break-words', n.read ? 'text-muted' : 'text-ink')} data-testid="inbox-text">
                      {v.text}
                    </span>
                    {(v.state || v.venueLine) && (
                      <span className="mt-1 flex flex-wrap gap-x-3 text-sm text-muted">
                        {v.state && (
                          <span className="font-medium text-brand-700" data-testid="inbox-state">
                            {v.state}
                          </span>
                        )}
                        {v.venueLine && <span>{t('venueOf', { venue: n.venueName ?? '' })}</span>}
                      </span>
                    )}
                    <span className="mt-1 block text-sm font-medium text-brand-600">{v.action}</span>
                  </span>
                </NoticeLink>
              </li>
            );
          })}
        </ul>
      )}

      {(page > 0 || list.more) && (
        <nav className="flex justify-between text-brand-600" aria-label={t('title')}>
          {page > 0 ? <Link href={page === 1 ? '/inbox' : `/inbox?page=${page - 1}`}>{t('newer')}</Link> : <span />}
          {list.more && <Link href={`/inbox?page=${page + 1}`}>{t('older')}</Link>}
        </nav>
      )}
    </div>
  );
}
