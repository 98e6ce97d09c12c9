// The scanner's look-ups. Records themselves go through the offline queue (lib/checkin/client/queue.ts).
export type Preview = {
  person: { nameMasked: string; gender: 'M' | 'F'; ageBand: string };
  status: { colour: 'green' | 'red'; reason: string | null };
};
export type Failure = { error: string; retryAfterSeconds?: number };
export type Summary = {
  count: number;
  recent: { id: string; nameMasked: string; temperature: string | null; fever: boolean; colour: string; method: string; at: string }[];
};

/** 'network' when the server cannot be reached or fails (the door then works offline); 'unauthenticated' on 401. */
async function post<T>(url: string, body: unknown): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(8000),
    });
    if (res.status === 401) return { ok: false, failure: { error: 'unauthenticated' } };
    if (res.status >= 500) return { ok: false, failure: { error: 'network' } };
    const json = (await res.json().catch(() => ({ error: 'unknown' }))) as T & Failure;
    return res.ok ? { ok: true, value: json } : { ok: false, failure: json };
  } catch {
    return { ok: false, failure: { error: 'network' } };
  }
}

export const resolveCode = (venueId: string, code: string, method: 'scan' | 'typed') =>
  post<Preview>('/api/checkins/resolve', { venueId, code, method });

export async function fetchSummary(venueId: string): Promise<Summary | null> {
  try {
    const res = await fetch(`/api/checkins/summary?venueId=${venueId}`, { cache: 'no-store' });
    return res.ok ? ((await res.json()) as Summary) : null;
  } catch {
    return null;
  }
}
