// The scanner measures its clock offset against this (SPEC: effective time = scanner time + offset).
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ now: Date.now() }, { headers: { 'cache-control': 'no-store' } });
}
