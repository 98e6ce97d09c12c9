/**
 * Measures the device clock against the server (NTP-style: the server time minus the midpoint of the
 * request). Records carry the scanner's own time plus this offset; the server computes the effective time.
 */
export async function measureClockOffset(fetchImpl: typeof fetch = fetch): Promise<number | null> {
  try {
    const sent = Date.now();
    const res = await fetchImpl('/api/time', { cache: 'no-store' });
    const received = Date.now();
    if (!res.ok) return null;
    const { now } = (await res.json()) as { now: number };
    return Math.round(now - (sent + received) / 2);
  } catch {
    return null;
  }
}
