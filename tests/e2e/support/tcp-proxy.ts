import net from 'node:net';

/**
 * A TCP proxy in front of `next start` that a test can take down and bring back on the same port.
 * Playwright's setOffline does not stop a service worker's requests (microsoft/playwright#2311);
 * closing this port does, for the page and its worker alike.
 */
export async function startTcpProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let listenPort = 0;

  async function up() {
    const s = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      sockets.add(client).add(upstream);
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => s.once('error', reject).listen(listenPort, resolve));
    listenPort = (s.address() as net.AddressInfo).port;
    server = s;
  }

  /** Refuses new connections and cuts the open ones (keep-alive included). */
  async function down() {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  }

  await up();
  return { origin: `http://localhost:${listenPort}`, up, down };
}
