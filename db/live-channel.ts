/**
 * The PostgreSQL channel of the live stream (lib/live/bus.ts). Here so that queries that notify inside
 * their own transaction (pg_notify is delivered on commit: db/queries/notices.ts) use the same name.
 */
export const LIVE_CHANNEL = 'venue_live';
