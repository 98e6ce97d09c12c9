'use client';

import { InboxBell } from '@/components/shell/inbox-bell';
import { LiveProvider } from '@/lib/live/live-provider';

/**
 * The bell on the scanner, which has no site header (its shell is static, for the door's offline use): a
 * checker told of a binding approved or removed sees the count. Shown only while the server has just
 * confirmed the session, and counted from the stream's first event (nothing is rendered per request here).
 */
export function DoorInbox() {
  return (
    <LiveProvider inbox>
      <InboxBell unread={0} asOf={0} tone="page" />
    </LiveProvider>
  );
}
