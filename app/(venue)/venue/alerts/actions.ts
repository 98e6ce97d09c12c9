'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { updateAlertSettings } from '@/lib/alerts/settings';
import { formAction, formText } from '@/lib/server/action';

export type AlertsFormState = { values: Record<string, string>; fieldErrors?: Record<string, string>; error?: string; saved?: boolean };

const alertsForm = z.object({
  // An unticked switch sends nothing: that is "off".
  sms: z.preprocess((v) => (v === undefined ? 'off' : v), formText(10)),
  quiet: formText(10),
  quietStart: formText(10),
  quietEnd: formText(10),
  dailyCap: formText(10),
});

/** 提醒设置: the current admin's texts on or off, quiet hours, daily cap (lib/alerts/settings.ts). */
export const saveAlertsAction = formAction(
  { auth: 'user', input: alertsForm },
  (tx, user, input, now) => updateAlertSettings(tx, user, input, now),
  (result, input): AlertsFormState => {
    const values = input ?? {};
    if (!result.ok) {
      if ('fieldErrors' in result && result.fieldErrors) return { values, fieldErrors: result.fieldErrors };
      return { values, error: 'reason' in result ? result.reason : 'unknown' };
    }
    revalidatePath('/venue/alerts');
    return { values, saved: true };
  },
);
