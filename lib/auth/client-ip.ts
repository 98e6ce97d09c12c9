import 'server-only';
import { isIP } from 'node:net';
import { env, type Env } from '@/lib/env';
import { log } from '@/lib/log';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const v = source[name] ?? source[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

/** An IP address as written in a header (IPv6 maybe in brackets, IPv4 maybe with a port), or null. */
function address(raw: string | undefined): string | null {
  let v = raw?.trim();
  if (!v) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.indexOf(':'));
  if (v.startsWith('::ffff:') && isIP(v.slice(7)) === 4) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}

type Source = Pick<Env, 'NODE_ENV' | 'TRUSTED_PROXY_HEADER' | 'TRUSTED_PROXY_HOPS' | 'SERVE_SOCKET_HEADER'>;

/**
 * The client's IP address, from where the deployment said to find it (production refuses to start
 * without one of these, lib/env.ts):
 * - TRUSTED_PROXY_HEADER: a single-value header the proxy sets, overwriting whatever the client sent;
 * - TRUSTED_PROXY_HOPS=N: the Nth X-Forwarded-For entry from the right — each of the N proxies appends
 *   the address it was connected from, so entries left of that are whatever the client wrote;
 * - TRUSTED_PROXY_HOPS=0: no proxy; `npm run serve` writes the socket address into its private header.
 * Development and tests without a setting use the last X-Forwarded-For entry (Next fills in the socket
 * address when there is none).
 *
 * Null when the address cannot be found (a request that bypassed the proxy, or a proxy that does not do
 * what the setting says). Callers then refuse what a per-IP limit guards: an unknown address is neither
 * one shared bucket (one client could lock everyone out) nor a free pass (unlimited codes).
 */
export function clientIp(headers: HeaderSource, e: Source = env()): string | null {
  let found: string | null;
  if (e.TRUSTED_PROXY_HEADER) {
    const raw = header(headers, e.TRUSTED_PROXY_HEADER);
    found = raw?.includes(',') ? null : address(raw);
  } else if (e.TRUSTED_PROXY_HOPS === 0 && e.SERVE_SOCKET_HEADER) {
    found = address(header(headers, e.SERVE_SOCKET_HEADER));
  } else if (e.TRUSTED_PROXY_HOPS !== undefined && e.TRUSTED_PROXY_HOPS > 0) {
    const entries = (header(headers, 'x-forwarded-for') ?? '').split(',').map((s) => s.trim());
    const i = entries.length - e.TRUSTED_PROXY_HOPS;
    found = i >= 0 ? address(entries[i]) : null;
  } else if (e.NODE_ENV !== 'production') {
    found = address((header(headers, 'x-forwarded-for') ?? '').split(',').pop());
  } else {
    found = null;
  }
  if (!found) warnUnknown(e);
  return found;
}

let lastWarning = 0;
function warnUnknown(e: Source) {
  if (e.NODE_ENV !== 'production' || Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  log().warn(
    { header: e.TRUSTED_PROXY_HEADER, hops: e.TRUSTED_PROXY_HOPS },
    'a request without a usable client address was refused a per-IP-limited operation; check TRUSTED_PROXY_HEADER / TRUSTED_PROXY_HOPS against what the proxy sends',
  );
}
