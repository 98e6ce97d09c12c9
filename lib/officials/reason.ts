import { normaliseText, type TextProblem } from '@/lib/text/normalise';

export const REASON_MIN = 2;
export const REASON_MAX = 200;

export type ReasonProblem = 'why_required' | 'why_too_long' | TextProblem;

/** An official's stated reason (SPEC T5): free text of 2–200 characters, on one line. */
export function statedReason(typed: string | null | undefined): { ok: true; reason: string } | { ok: false; reason: ReasonProblem } {
  const text = normaliseText(typed ?? '');
  if (!text.ok) return { ok: false, reason: text.error };
  const length = Array.from(text.text).length;
  if (length < REASON_MIN) return { ok: false, reason: 'why_required' };
  if (length > REASON_MAX) return { ok: false, reason: 'why_too_long' };
  return { ok: true, reason: text.text };
}
