import 'server-only';
import type { DbOrTx } from '@/db';
import { countUnread, listNotices, markAllNoticesRead, markNoticeRead, notifyNotice, type Reader } from '@/db/queries/notices';
import { UNREAD_CAP } from '@/lib/notices/unread-stamp';

// The inbox of a signed-in account (#18): what it may read is decided in the query (db/queries/notices.ts,
// `visibleTo`), never here, so a page, the bell and the live stream agree.

export const INBOX_PAGE_SIZE = 20;
export { UNREAD_CAP, unreadLabel } from '@/lib/notices/unread-stamp';

const readerOf = (actor: { accountId: string; phone: string }): Reader => ({ accountId: actor.accountId, phone: actor.phone });

export const inboxPage = (db: DbOrTx, actor: Reader, page: number, now: Date) =>
  listNotices(db, readerOf(actor), { limit: INBOX_PAGE_SIZE, offset: Math.max(0, page) * INBOX_PAGE_SIZE }, now);

/** The unread count with the database time it was taken at (`asOf`, for the bell: db/queries/notices.ts). */
export const unreadCount = (db: DbOrTx, actor: Reader) => countUnread(db, readerOf(actor), UNREAD_CAP);
export const unreadNotices = async (db: DbOrTx, actor: Reader) => (await unreadCount(db, actor)).unread;

/**
 * Marks one notice read. A notice the account may not see is `not_found`, like one that does not exist,
 * so ids cannot be probed. The account's other tabs hear the new count (live channel, on commit).
 * Not audited: a read mark is the reader's own view, it grants or changes nothing.
 */
export async function readNotice(tx: DbOrTx, actor: Reader, input: { noticeId: string }, now: Date) {
  if (!(await markNoticeRead(tx, readerOf(actor), input.noticeId, now))) return { ok: false as const, reason: 'not_found' as const };
  await notifyNotice(tx, { a: actor.accountId });
  return { ok: true as const };
}

/** Marks every notice the account may see read (全部标为已读). */
export async function readAllNotices(tx: DbOrTx, actor: Reader, _input: unknown, now: Date) {
  const marked = await markAllNoticesRead(tx, readerOf(actor), now);
  if (marked > 0) await notifyNotice(tx, { a: actor.accountId });
  return { ok: true as const, marked };
}
