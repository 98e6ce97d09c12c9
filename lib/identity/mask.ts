// The only masking used wherever a venue role sees a person: one place to audit what leaks.
// Lengths are counted in characters (Array.from), so a rare CJK character outside the BMP is one '*', not two.

/** 张三丰 → 张**; SMITH JOHN → S**** **** (spaces kept so the shape of a Latin name stays readable). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  const [first, ...rest] = chars;
  if (/[A-Za-z]/.test(name)) return first + rest.map((c) => (/\s/.test(c) ? c : '*')).join('');
  return first + '*'.repeat(rest.length);
}

/** 4401**********123X; short numbers keep one character at each end, and 1–2 character ones are fully hidden. */
export function maskIdNumber(idNumber: string): string {
  const chars = Array.from(idNumber);
  const n = chars.length;
  if (n <= 2) return '*'.repeat(n);
  const keep = n > 8 ? 4 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(n - 2 * keep) + chars.slice(n - keep).join('');
}
