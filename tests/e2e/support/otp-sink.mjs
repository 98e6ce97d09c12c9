// A stand-in for the SMS gateway (and the real-name verifier) in end-to-end tests: the app's webhook sender POSTs codes here and
// tests read the latest code of a phone with GET /codes/<phone>. Also counts deliveries per phone.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.OTP_SINK_PORT ?? 3999);
const codes = new Map();

createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/send') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const { phone, code } = JSON.parse(body);
        const list = codes.get(phone) ?? [];
        list.push(code);
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
  if (req.url === '/health') return void res.writeHead(200).end('ok');
  res.writeHead(404).end();
}).listen(port, '127.0.0.1');
