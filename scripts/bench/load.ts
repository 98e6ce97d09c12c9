/** The load tool: autocannon, closed-loop for throughput, rate-limited for latency. */
// autocannon ships no types; this is the part of its API the bench uses.
type AutocannonResult = {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; p97_5: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
};
type RequestSpec = { method: 'POST'; path: string; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> };
type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  pipelining?: number;
  timeout?: number;
  requests: RequestSpec[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: AutocannonOptions) => Promise<AutocannonResult>;

export type LoadResult = { requests: number; ok: number; non2xx: number; errors: number; seconds: number; p50: number; p99: number; statuses: Record<string, number> };

/** Drives `path` with bodies from `body()` (each request gets its own) and headers from `headers()`. */
export async function drive(o: {
  port: number;
  path: string;
  connections: number;
  seconds: number;
  rate?: number;
  next: () => { body: string; headers: Record<string, string> };
}): Promise<LoadResult> {
  const r = await autocannon({
    url: `http://127.0.0.1:${o.port}`,
    connections: o.connections,
    duration: o.seconds,
    timeout: 30,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: o.path,
        setupRequest: (req) => {
          const n = o.next();
          return { ...req, body: n.body, headers: { 'content-type': 'application/json', ...n.headers } };
        },
      },
    ],
  });
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return { requests: r.requests.total, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, statuses };
}
