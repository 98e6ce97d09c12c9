// Times the door's write path in plain Node (no web layer): `npx tsx --conditions=react-server scripts/bench/probe-door.ts`. A profiling aid.
import { openDatabase } from '@/db';
import { createDatabase, dropDatabase, scanPayload, seed, BENCH_SECRETS } from './setup';
async function main() {
  process.env.CODE_SIGNING_KEY = BENCH_SECRETS.CODE_SIGNING_KEY;
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${process.env.BENCH_DB_PREFIX ?? 'probe_door'}_${Date.now()}`;
  const { ownerUrl, appUrl } = await createDatabase(admin, name);
  const s = await seed(ownerUrl, { venues: 32, checkersPerVenue: 2, persons: 20000 });
  const h = await openDatabase({ kind: 'postgres', url: appUrl, poolMax: 10 });
  const { recordCheckin } = await import('@/lib/checkin/record');
  const { getServerSession } = await import('next-auth');
  const { decode } = await import('next-auth/jwt');
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  for (const round of [1, 2]) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    const end = t + 4000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < end) {
          const c = pick(s.checkers);
          const r = await recordCheckin(h.db, { accountId: c.accountId }, scanPayload(c.venueId, pick(s.tokens)));
          if (!r.ok) throw new Error(JSON.stringify(r));
          n++;
        }
      }),
    );
    const sec = (performance.now() - t) / 1000;
    const cu = process.cpuUsage(c0);
    console.log(`recordCheckin round ${round}: ${(n / sec).toFixed(0)}/s, CPU ${((cu.user + cu.system) / 1000 / n).toFixed(2)} ms/record`);
  }
  {
    const c = s.checkers[0];
    const tok = c.cookie.split('=')[1];
    const t = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    while (performance.now() < t + 2000) {
      await decode({ token: tok, secret: BENCH_SECRETS.NEXTAUTH_SECRET });
      n++;
    }
    const cu = process.cpuUsage(c0);
    console.log(`jwt decode: ${((cu.user + cu.system) / 1000 / n).toFixed(3)} ms each`);
    void getServerSession;
  }
  await h.close();
  await dropDatabase(admin, name);
}
void main();
