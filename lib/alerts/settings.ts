import 'server-only';
import type { Db } from '@/db';
import { alertSettingsOf, recentMessagesOfVenue, saveAlertSettings, type AlertSettings } from '@/db/queries/alerts';
import { appendAudit } from '@/db/queries/audit';
import { venueOfAdmin } from '@/db/queries/venues';
import { maskPhone } from '@/lib/auth/phone';
import { asVenueAdmin } from '@/lib/venues/admin-venue';
import { DAILY_CAP_MAX, DAILY_CAP_MIN, hhmmOf, minutesOf } from './rules';

// 提醒设置: the venue's current admin switches texts on or off, sets quiet hours (or none) and the daily cap.

export type AlertField = 'sms' | 'quiet' | 'quietStart' | 'quietEnd' | 'dailyCap';
export type AlertFieldError = 'choice' | 'time' | 'same_time' | 'daily_cap';
export type AlertSettingsResult =
  { ok: true } | { ok: false; fieldErrors: Partial<Record<AlertField, AlertFieldError>> } | { ok: false; reason: 'not_admin' };

export type AlertSettingsForm = Record<AlertField, string>;

/** The form's fields into settings, or the first problem of each field. */
export function validateAlertSettings(
  input: AlertSettingsForm,
): { ok: true; settings: AlertSettings } | { ok: false; fieldErrors: Partial<Record<AlertField, AlertFieldError>> } {
  const errors: Partial<Record<AlertField, AlertFieldError>> = {};
  if (input.sms !== 'on' && input.sms !== 'off') errors.sms = 'choice';
  if (input.quiet !== 'none' && input.quiet !== 'set') errors.quiet = 'choice';
  let start: number | null = null;
  let end: number | null = null;
  if (input.quiet === 'set') {
    start = minutesOf(input.quietStart.trim());
    end = minutesOf(input.quietEnd.trim());
    if (start === null) errors.quietStart = 'time';
    if (end === null) errors.quietEnd = 'time';
    if (start !== null && end !== null && start === end) errors.quietEnd = 'same_time';
  }
  const capText = input.dailyCap.trim();
  const cap = /^\d{1,3}$/.test(capText) ? Number(capText) : NaN;
  if (!(cap >= DAILY_CAP_MIN && cap <= DAILY_CAP_MAX)) errors.dailyCap = 'daily_cap';
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, settings: { smsEnabled: input.sms === 'on', quietStartMin: start, quietEndMin: end, dailyCap: cap } };
}

const same = (a: AlertSettings, b: AlertSettings) =>
  a.smsEnabled === b.smsEnabled && a.quietStartMin === b.quietStartMin && a.quietEndMin === b.quietEndMin && a.dailyCap === b.dailyCap;

/** Saves the admin's alert settings for their venue (the venue row locked: asVenueAdmin), audited. */
export async function updateAlertSettings(
  db: Db,
  actor: { accountId: string },
  input: AlertSettingsForm,
  now = new Date(),
): Promise<AlertSettingsResult> {
  const valid = validateAlertSettings(input);
  if (!valid.ok) return valid;
  return asVenueAdmin(db, actor, async (tx, venue): Promise<AlertSettingsResult> => {
    const before = await alertSettingsOf(tx, venue.id);
    // Saving what is already there changes nothing and is not audited.
    if (same(before, valid.settings)) return { ok: true };
    await saveAlertSettings(tx, venue.id, valid.settings, actor.accountId, now);
    const shown = (s: AlertSettings) => ({
      sms: s.smsEnabled,
      quiet: s.quietStartMin === null || s.quietEndMin === null ? null : `${hhmmOf(s.quietStartMin)}-${hhmmOf(s.quietEndMin)}`,
      cap: s.dailyCap,
    });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.alerts',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      details: { from: shown(before), to: shown(valid.settings) },
      at: now,
    });
    return { ok: true };
  });
}

/** The settings page of the admin's venue: the settings, where texts go (masked), the last messages. */
export async function alertsPageOf(db: Db, actor: { accountId: string; phone: string }) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const [settings, recent] = await Promise.all([alertSettingsOf(db, venue.id), recentMessagesOfVenue(db, venue.id, 5)]);
  return {
    venueName: venue.name,
    maskedPhone: maskPhone(actor.phone),
    form: {
      sms: settings.smsEnabled ? 'on' : 'off',
      quiet: settings.quietStartMin === null ? 'none' : 'set',
      quietStart: hhmmOf(settings.quietStartMin ?? 22 * 60),
      quietEnd: hhmmOf(settings.quietEndMin ?? 7 * 60),
      dailyCap: String(settings.dailyCap),
    } satisfies AlertSettingsForm,
    recent,
  };
}
