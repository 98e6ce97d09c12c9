// A second (and third) app process for the sign-in limits test: runs the sign-in service against the
// database at argv[2] with its own connection pool, as `next start` would, and prints what it got.
// Usage: tsx --conditions=react-server tests/helpers/sign-in-worker.ts <url> <json job> (the condition
// lets the server modules' `import 'server-only'` resolve to its empty marker outside Next)
import { openDatabase } from '@/db';
import { requestSignInCode, verifySignInCode, type SignInConfig } from '@/lib/auth/sign-in';

type Job =
  | { kind: 'request'; cfg: SignInConfig; calls: { phone: string; ip: string; at: number }[] }
  | { kind: 'verify'; cfg: SignInConfig; calls: { phone: string; code: string; at: number }[] };

async function main() {
  const [url, jobText] = process.argv.slice(2);
  const job = JSON.parse(jobText) as Job;
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 8 });
  const sender = { revealsCode: false as const, send: async () => {} };
  // Ready (the pool's connections open), then wait for the starting gun (a file the parent creates
  // once every process is ready) so all processes fire together.
  const gun = process.env.START_GUN;
  if (gun) {
    const { existsSync, writeFileSync } = await import('node:fs');
    const { sql } = await import('drizzle-orm');
    await Promise.all(Array.from({ length: 8 }, () => handle.db.execute(sql`select 1`)));
    writeFileSync(`${gun}.ready-${process.pid}`, '');
    while (!existsSync(gun)) await new Promise((r) => setTimeout(r, 5));
  }
  const results = await Promise.all(
    job.calls.map((c) =>
      job.kind === 'request'
        ? requestSignInCode(handle.db, job.cfg, sender, { phone: c.phone, ip: (c as { ip: string }).ip, now: new Date(c.at) })
        : verifySignInCode(handle.db, job.cfg, { phone: c.phone, code: (c as { code: string }).code, now: new Date(c.at) }),
    ),
  );
  await handle.close();
  process.stdout.write(JSON.stringify(results.map((r) => (r.ok ? 'ok' : r.reason))));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
