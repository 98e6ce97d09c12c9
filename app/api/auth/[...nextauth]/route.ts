import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { readJsonBody } from '@/lib/http/read-json';

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so that configuration is read at run time, not during the build.
async function handler(req: Request, ctx: Ctx) {
  // NextAuth parses a body it is told is JSON without a guard (an empty or broken one was a 500): it is
  // read first, from a copy, as every JSON body of the app is (lib/http/read-json.ts).
  if (req.method === 'POST' && (req.headers.get('content-type') ?? '').includes('application/json')) {
    const read = await readJsonBody(req.clone(), 16_384);
    if (!read.ok) return Response.json({ error: read.error }, { status: read.status });
  }
  return NextAuth(req as never, ctx as never, authOptions());
}

export { handler as GET, handler as POST };
