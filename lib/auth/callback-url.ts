// Control characters (C0, DEL, C1) and the invisible ones browsers or the URL parser drop or fold: a value
// like `/\t/evil.example/` must be judged as the browser will read it (`//evil.example/`), and none may
// reach a Location header (`%0A` once gave a 500).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/**
 * The one safe-redirect function, for every redirect whose target a user can influence (the sign-in
 * form, the 307 for signed-in users, next-auth's `redirect` callback): the value is parsed as the browser
 * would, against the public origin, and must stay on that origin. Returns a path (`/…`, never `//…` or
 * `/\…`), or `/` for anything else.
 */
export function safeRedirectPath(value: unknown, origin = 'http://localhost'): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || v.length > 2048) return '/';
  const cleaned = v.replace(INVISIBLE, '').trim();
  // Only paths and absolute URLs: a bare `evil.example` or `?x` is relative to the current page, never meant here.
  if (!cleaned.startsWith('/') && !/^https?:/i.test(cleaned)) return '/';
  let url: URL;
  try {
    url = new URL(cleaned, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that dot-segments or slashes turned into `//host` would leave the site as a protocol-relative URL.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return '/';
  return path;
}

/** Where to go after signing in: a safe redirect path, and never sign-in itself (no loops). */
export function safeCallbackUrl(value: unknown, origin?: string): string {
  const path = safeRedirectPath(value, origin);
  return /^\/(?:sign-in|api\/auth)(?:[/?#]|$)/.test(path) ? '/' : path;
}
