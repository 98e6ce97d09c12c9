// The client's socket address, in a header only the launcher (scripts/serve.mjs) writes — lib/env.ts
// SERVE_SOCKET_HEADER: with TRUSTED_PROXY_HOPS=0 (no proxy in front) the per-IP limits find the client by it.
import diagnostics from 'node:diagnostics_channel';

export const SOCKET_HEADER = 'x-serve-socket-address';

/** Replaces any copy of the private header the client sent with the socket's address. */
export function stampSocketAddress(req) {
  // Node builds req.headers from rawHeaders on first read: build it before rawHeaders changes.
  const headers = req.headers;
  delete headers[SOCKET_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i].toLowerCase() === SOCKET_HEADER) req.rawHeaders.splice(i, 2);
  }
  const address = req.socket.remoteAddress;
  if (address) {
    headers[SOCKET_HEADER] = address;
    req.rawHeaders.push(SOCKET_HEADER, address);
  }
}

/** In a worker, before Next starts: every request is stamped before Next's handler sees it (Node publishes this channel ahead of 'request'). */
export function stampEveryRequest() {
  process.env.SERVE_SOCKET_HEADER = SOCKET_HEADER;
  diagnostics.subscribe('http.server.request.start', ({ request }) => stampSocketAddress(request));
}
