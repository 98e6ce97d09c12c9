/**
 * Registers the service worker that keeps the scanner usable offline. Outside production the server
 * answers /sw.js with 404 (development chunks are not content-hashed, so caching them would serve stale
 * code), and registration simply fails.
 */
export function registerServiceWorker() {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}
