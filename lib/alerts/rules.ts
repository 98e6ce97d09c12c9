// The digest rules of 短信提醒 (issue #18), without the database: pure, so they are tested directly.

export const DIGEST_GAP_MS = 10 * 60_000;
export const DAILY_CAP_MIN = 1;
export const DAILY_CAP_MAX = 50;

const CST_OFFSET_MS = 8 * 3_600_000;

/** Minute of the China day (0–1439). Asia/Shanghai is UTC+8 all year since 1992. */
export function chinaMinuteOf(instant: Date): number {
  return Math.floor(((((instant.getTime() + CST_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** Quiet hours are [start, end), wrapping past midnight when start > end (22:00–07:00); null = none. */
export function inQuietHours(minute: number, start: number | null, end: number | null): boolean {
  if (start === null || end === null || start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The start of the 10-minute window (aligned to the epoch) containing `at`: one message per venue per window. */
export function windowStartOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DIGEST_GAP_MS) * DIGEST_GAP_MS);
}

/** 'HH:MM' ↔ minutes of the day. */
export function minutesOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
export function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export type DigestDecision = 'off' | 'quiet' | 'too_soon' | 'capped' | 'send';

/**
 * What to do with a venue's unsent events now: `off` and `capped` drop them (the inbox still has them),
 * `quiet` and `too_soon` hold them for a later message, `send` makes one message with all of them.
 */
export function decideDigest(
  s: { smsEnabled: boolean; quietStartMin: number | null; quietEndMin: number | null; dailyCap: number },
  history: { lastAt: Date | null; today: number },
  now: Date,
): DigestDecision {
  if (!s.smsEnabled) return 'off';
  if (inQuietHours(chinaMinuteOf(now), s.quietStartMin, s.quietEndMin)) return 'quiet';
  if (history.lastAt && now.getTime() - history.lastAt.getTime() < DIGEST_GAP_MS) return 'too_soon';
  if (history.today >= s.dailyCap) return 'capped';
  return 'send';
}
