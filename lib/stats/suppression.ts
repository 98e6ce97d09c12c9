/**
 * Small numbers (V9 privacy): in the gender and age charts a slice of fewer than 5 visitor-days is shown
 * as "<5". If only one slice would be hidden, the next smallest is hidden too (complementary suppression),
 * so a hidden value cannot be recovered as the total minus the others.
 */
export const SMALL_NUMBER = 5;

export type Slice = { key: string; value: number };
export type ShownSlice = { key: string; value: number | null; suppressed: boolean };

export function suppressSmall(slices: Slice[]): ShownSlice[] {
  const hidden = new Set(slices.filter((s) => s.value > 0 && s.value < SMALL_NUMBER).map((s) => s.key));
  if (hidden.size === 1) {
    const next = slices.filter((s) => !hidden.has(s.key) && s.value > 0).sort((a, b) => a.value - b.value)[0];
    if (next) hidden.add(next.key);
  }
  return slices.map((s) => ({ key: s.key, value: hidden.has(s.key) ? null : s.value, suppressed: hidden.has(s.key) }));
}
