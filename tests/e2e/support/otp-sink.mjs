// A stand-in for the SMS gateway (and the real-name verifier) in end-to-end tests: the app's webhook sender POSTs messages here
// (lib/sms/sender.ts). Tests read the latest sign-in code of a phone with GET /codes/<phone>, and the venue digests
// texted to a phone with GET /digests/<phone> (a retry of a message already received, same Idempotency-Key, is
// dropped as a gateway would; `requests` counts them all).
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.OTP_SINK_PORT ?? 3999);
const codes = new Map();
const digests = new Map();

createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/send') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const message = JSON.parse(body);
        const { phone } = message;
        if (message.kind === 'venue_digest') {
          const got = digests.get(phone) ?? { requests: 0, messages: new Map() };
          got.requests += 1;
          const key = req.headers['idempotency-key'];
          if (!key || key !== message.idempotencyKey) return void res.writeHead(400).end();
          if (!got.messages.has(key)) got.messages.set(key, { template: message.template, params: message.params });
          digests.set(phone, got);
          return void res.writeHead(204).end();
        }
        const list = codes.get(phone) ?? [];
        list.push(message.params?.code ?? message.code);
        codes.set(phone, list);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
    return;
  }
  if (req.method === 'POST' && req.url === '/verify') {
    // Real-name verification stand-in: names containing 不符 or MISMATCH do not match their document.
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { name = '' } = JSON.parse(body || '{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ match: !/不符|MISMATCH/.test(name) }));
    });
    return;
  }
  const m = req.url?.match(/^\/codes\/(\d{11})$/);
  if (req.method === 'GET' && m) {
    const list = codes.get(m[1]) ?? [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ latest: list.at(-1) ?? null, count: list.length }));
    return;
  }
  const d = req.url?.match(/^\/digests\/(\d{11})$/);
  if (req.method === 'GET' && d) {
    const got = digests.get(d[1]);
    const body = { requests: got?.requests ?? 0, messages: got ? [...got.messages.values()] : [] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  if (req.url === '/health') return void res.writeHead(200).end('ok');
  res.writeHead(404).end();
}).listen(port, '127.0.0.1');
