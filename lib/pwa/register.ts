/**
 * Registers the service worker that keeps the scanner usable offline. Production builds only: in
 * development the chunks are not content-hashed, so caching them would serve stale code.
 * (NODE_ENV is a build-time constant inlined by Next, not runtime configuration.)
 */
export function registerServiceWorker() {
  if (process.env.NODE_ENV !== 'production' || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}
