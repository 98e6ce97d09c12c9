/** Only same-site paths: an open redirect after sign-in would be a phishing tool. */
export function safeCallbackUrl(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return '/';
  return v.startsWith('/sign-in') ? '/' : v;
}
