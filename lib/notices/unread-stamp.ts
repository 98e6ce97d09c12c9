// The bell's count comes two ways: with each server render of the header, and on the live stream. A
// render that counted before a notice was made can arrive after the stream has told of it (the dashboard
// refreshes itself after a check-in while the notice job is making that check-in's fever notice): the bell
// keeps whichever count the database took later (`asOf`, db/queries/notices.ts countUnread), never simply
// the last one to arrive.

/** The bell counts up to this and then shows "99+" (the count's query stops there: db/queries/notices.ts). */
export const UNREAD_CAP = 100;

/** The bell's text for a count: "99+" past the cap. */
export const unreadLabel = (n: number) => (n >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(n));

/** An unread count and the database time it was taken at (ms since the epoch; 0: not counted yet). */
export type UnreadStamp = { unread: number; asOf: number };

/** The count to show: `incoming` unless `current` was taken later. */
export function newerUnread(current: UnreadStamp, incoming: UnreadStamp): UnreadStamp {
  return incoming.asOf >= current.asOf ? incoming : current;
}

/**
 * What a live `notice` event makes of `current`: its count when taken later; a malformed event changes
 * nothing. An event without `asOf` (a server of the previous release, during an upgrade) is taken as new.
 */
export function heardUnread(current: UnreadStamp, data: unknown): UnreadStamp {
  if (typeof data !== 'object' || data === null) return current;
  const { unread, asOf } = data as Partial<UnreadStamp>;
  if (typeof unread !== 'number' || !Number.isInteger(unread) || unread < 0) return current;
  if (typeof asOf !== 'number' || !Number.isFinite(asOf)) return { unread, asOf: current.asOf };
  return newerUnread(current, { unread, asOf });
}
