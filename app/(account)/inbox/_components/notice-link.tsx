'use client';

import { ChevronRight } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { readNoticeAction } from '../actions';

/** A notice opened: marked read first (the bell follows on the live stream), then where to act on it. */
export function NoticeLink({ id, read, href, children }: { id: string; read: boolean; href: string; children: ReactNode }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <a
      href={href}
      data-testid="inbox-open"
      aria-busy={busy || undefined}
      className="group flex items-start gap-3 rounded-xl px-3 py-3 hover:bg-brand-50 focus-visible:bg-brand-50"
      onClick={async (e) => {
        if (read || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        setBusy(true);
        // Whatever it answers (a notice gone meanwhile is not_found), the link still leads on.
        await readNoticeAction(id).catch(() => null);
        router.push(href);
      }}
    >
      {children}
      <ChevronRight aria-hidden size={20} className="mt-1 shrink-0 text-muted group-hover:text-brand-600" />
    </a>
  );
}
