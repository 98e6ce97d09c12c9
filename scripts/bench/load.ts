/** The load tools: autocannon closed-loop for throughput; an open-loop fixed-rate sender for latency. */
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

export type LoadResult = {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
};

/** Drives `path` with bodies from `body()` (each request gets its own) and headers from `headers()`. */
export async function drive(o: {
  port: number;
  path: string;
  connections: number;
  seconds: number;
  next: () => { body: string; headers: Record<string, string> };
}): Promise<LoadResult> {
  const r = await autocannon({
    url: `http://127.0.0.1:${o.port}`,
    connections: o.connections,
    duration: o.seconds,
    timeout: 30,
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
  return {
    requests: r.requests.total,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statuses,
  };
}

/**
 * Open-loop latency at a fixed rate: a request is started every 1/rate s on its schedule whether or not
 * earlier ones have answered (autocannon's rate limit releases each second's quota in a burst, which
 * measures the burst's queue, not the server). Latency counts from the scheduled start, so a client that
 * falls behind is charged to the measurement rather than hidden (no coordinated omission).
 */
export async function openLoop(o: {
  port: number;
  path: string;
  rate: number;
  seconds: number;
  next: () => { body: string; headers: Record<string, string> };
}): Promise<LoadResult> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let requests = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const inflight: Promise<void>[] = [];
  const fire = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const n = o.next();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: o.port,
          path: o.path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(n.body), ...n.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy());
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(n.body);
    });
  for (let k = 0; ; k++) {
    const scheduled = start + (k * 1000) / o.rate;
    if (scheduled >= end) break;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    requests++;
    inflight.push(fire(scheduled));
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
  const ok = Object.entries(statuses).reduce((a, [s, c]) => a + (Number(s) >= 200 && Number(s) < 300 ? c : 0), 0);
  return {
    requests,
    ok,
    non2xx: requests - ok - errors,
    errors,
    seconds: (performance.now() - start) / 1000,
    p50: q(0.5),
    p99: q(0.99),
    statuses,
  };
}
