'use client';

import { Bell } from 'lucide-react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { useLiveTopic } from '@/lib/live/live-provider';
import { heardUnread, newerUnread, unreadLabel } from '@/lib/notices/unread-stamp';
import { cn } from '@/lib/utils/cn';

/** The header's bell: unread notices, server-rendered, then live on the tab's stream (the inbox topic). */
/**
 * `tone`: on the blue site header, or on a light page (the scanner's own header, which has no site
 * header: app/(door)/checker/scan, where it starts from the stream's first count).
 */
export function InboxBell({
  unread: rendered,
  asOf,
  tone = 'header',
}: {
  unread: number;
  /** When the database counted `unread` (lib/notices/unread-stamp.ts); 0 when not counted. */
  asOf: number;
  tone?: 'header' | 'page';
}) {
  const t = useTranslations('inbox');
  const [stamp, setStamp] = useState({ unread: rendered, asOf });
  // A server render (navigation, router.refresh) brings its count; a render that counted before the stream's
  // last event (a dashboard's refresh racing the notice job) must not take the bell back.
  useEffect(() => setStamp((s) => newerUnread(s, { unread: rendered, asOf })), [rendered, asOf]);
  useLiveTopic('inbox', { notice: (data) => setStamp((s) => heardUnread(s, data)) });
  const { unread } = stamp;
  const label = unreadLabel(unread);
  return (
    <Link
      href="/inbox"
      aria-label={unread > 0 ? t('bellUnread', { count: label }) : t('bell')}
      data-testid="inbox-bell"
      data-unread={unread}
      className={cn(
        'relative inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-full',
        tone === 'header' ? 'text-white hover:bg-white/10' : 'text-brand-600 hover:bg-brand-50',
      )}
    >
      <Bell aria-hidden size={24} />
      {unread > 0 && (
        <span
          aria-hidden
          data-testid="inbox-badge"
          className={cn(
            'absolute -right-0.5 top-0.5 min-w-5 rounded-full bg-danger px-1 text-center text-xs font-bold leading-5 text-white ring-2',
            tone === 'header' ? 'ring-brand-600' : 'ring-surface',
          )}
        >
          {label}
        </span>
      )}
    </Link>
  );
}
