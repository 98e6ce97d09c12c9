/** Mainland China mobile numbers: 11 digits starting with 1[3-9]. Spaces, dashes and +86 are tolerated. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** 138****0001 — how staff and settings pages show a phone number (*** for a deleted account's, which has none). */
export function maskPhone(phone: string | null): string {
  return phone?.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***';
}
