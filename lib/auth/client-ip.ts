import 'server-only';
import { env } from '@/lib/env';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const v = source[name] ?? source[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The client's IP. Behind a proxy, TRUSTED_PROXY_HEADER names the header it sets (e.g. x-real-ip).
 * Without one, Next.js itself puts the socket address in x-forwarded-for when the request has none;
 * we take its first entry (a client can forge it there, which is why production should set the header).
 */
export function clientIp(headers: HeaderSource): string {
  const trusted = env().TRUSTED_PROXY_HEADER;
  const raw = trusted ? header(headers, trusted) : header(headers, 'x-forwarded-for');
  const first = raw?.split(',')[0]?.trim();
  return first && first.length <= 64 ? first : 'unknown';
}
