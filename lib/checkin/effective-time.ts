// The effective time of a record is the scanner's time corrected by the scanner's measured clock offset
// to the server. Colour and binding are judged as of that time, so a late record is judged as at the door.
export const MAX_LATENESS_MS = 14 * 24 * 60 * 60 * 1000;
/** Records older than this when they arrive are flagged late (they were queued, not sent at once). */
export const LATE_AFTER_MS = 5 * 60 * 1000;
/** Small allowance for clock jitter: a record a few seconds "ahead" of the server is not in the future. */
export const FUTURE_TOLERANCE_MS = 30 * 1000;
/** Offsets beyond a day mean a broken clock measurement, not a real skew. */
export const MAX_CLOCK_OFFSET_MS = 24 * 60 * 60 * 1000;

export type EffectiveTime = { ok: true; at: Date; late: boolean } | { ok: false; reason: 'invalid_time' | 'future' | 'too_old' };

export function effectiveTime(scannedAtMs: unknown, clockOffsetMs: unknown, now: Date): EffectiveTime {
  if (typeof scannedAtMs !== 'number' || !Number.isSafeInteger(scannedAtMs) || scannedAtMs <= 0)
    return { ok: false, reason: 'invalid_time' };
  if (typeof clockOffsetMs !== 'number' || !Number.isSafeInteger(clockOffsetMs) || Math.abs(clockOffsetMs) > MAX_CLOCK_OFFSET_MS)
    return { ok: false, reason: 'invalid_time' };
  const at = scannedAtMs + clockOffsetMs;
  const age = now.getTime() - at;
  if (age < -FUTURE_TOLERANCE_MS) return { ok: false, reason: 'future' };
  if (age > MAX_LATENESS_MS) return { ok: false, reason: 'too_old' };
  // Never in the future: a record slightly ahead (within tolerance) takes the server's time.
  return { ok: true, at: new Date(Math.min(at, now.getTime())), late: age > LATE_AFTER_MS };
}
