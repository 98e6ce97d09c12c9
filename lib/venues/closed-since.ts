import { env } from '@/lib/env';

const DAY_MS = 86_400_000;

/** The oldest closure whose venue its admin still reads (statistics, exports): the retention period (SPEC L3, L4). */
export const closedVenuesSince = (now: Date) => new Date(now.getTime() - env().CHECKIN_RETENTION_DAYS * DAY_MS);
