import 'server-only';
import { headers } from 'next/headers';
import { configuredOrigin, env } from '@/lib/env';

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The origin a development request came in on (so a phone on the LAN gets links back to the same address), if its Host is sane. */
export function requestOrigin(h: Headers): string | null {
  const host = h.get('host');
  if (!host || !HOST.test(host)) return null;
  return `${h.get('x-forwarded-proto') === 'https' ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/**
 * The one public origin every absolute link (QR codes: poster, join, sunflower) and every same-origin
 * check is built from: PUBLIC_URL. Production refuses to start without it; only development, with none
 * set, follows the request's Host.
 */
export async function publicOrigin(): Promise<string> {
  const e = env();
  const configured = configuredOrigin(e);
  if (configured) return configured;
  if (e.NODE_ENV === 'production') throw new Error('PUBLIC_URL is not set');
  try {
    return requestOrigin(await headers()) ?? 'http://localhost:3000';
  } catch {
    return 'http://localhost:3000'; // outside a request (tests, scripts)
  }
}
