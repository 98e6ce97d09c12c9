// Tests written against a calendar (2026-12-01 10:00 CST …) that must stay ahead of the real clock: the
// database stamps some moments with its own clock (a removal, an unbinding, a re-issue happen no earlier
// than now(): #17), so a test instant that has passed in real time reads as history. Such dates move by
// whole weeks (same weekday, same China time) until the original base is at least two days ahead.
const DAY = 24 * 60 * 60_000;
const WEEK = 7 * DAY;
const ORIGINAL_BASE = Date.parse('2026-12-01T02:00:00Z');

/** Whole weeks added to every date written with `onCalendar` (0 until the original base is near). */
export const CALENDAR_SHIFT_MS = Math.max(0, Math.ceil((Date.now() + 2 * DAY - ORIGINAL_BASE) / WEEK)) * WEEK;

/** A date written against the original calendar, moved by the same whole weeks as every other. */
export const onCalendar = (iso: string) => new Date(Date.parse(iso) + CALENDAR_SHIFT_MS);
