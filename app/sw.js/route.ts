import { isProduction } from '@/lib/env';
import { buildAssets, serviceWorkerSource } from '@/lib/pwa/service-worker';

let source: Promise<string> | null = null;

/** The service worker for this build (its asset list is read once per process from the build output). */
export async function GET() {
  // Development builds are not content-hashed: no worker, so nothing stale is ever served.
  if (!isProduction()) return new Response('not found', { status: 404 });
  source ??= buildAssets().then(({ buildId, assets }) => serviceWorkerSource(buildId, assets));
  return new Response(await source, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/' },
  });
}
