import { ImageResponse } from 'next/og';

const SIZES = [192, 512];
export const dynamic = 'force-static';
export const dynamicParams = false;
export function generateStaticParams() {
  return SIZES.map((size) => ({ size: String(size) }));
}

/** The home-screen icon: a thermometer on the app's blue, with a sunflower dot (drawn, no font needed). */
export async function GET(_req: Request, { params }: { params: Promise<{ size: string }> }) {
  const size = Number((await params).size);
  if (!SIZES.includes(size)) return new Response('not found', { status: 404 });
  const u = size / 16;
  return new ImageResponse(
    <div style={{ width: '100%', height: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#1559c7' }}>
      <div style={{ position: 'relative', width: u * 6, height: u * 11, display: 'flex', justifyContent: 'center' }}>
        <div style={{ position: 'absolute', top: 0, width: u * 2.4, height: u * 8, borderRadius: u * 1.2, background: 'white' }} />
        <div style={{ position: 'absolute', bottom: 0, width: u * 4.4, height: u * 4.4, borderRadius: u * 2.2, background: 'white' }} />
        <div
          style={{ position: 'absolute', bottom: u * 0.9, width: u * 2.6, height: u * 2.6, borderRadius: u * 1.3, background: '#f59e0b' }}
        />
        <div style={{ position: 'absolute', top: u * 2.5, bottom: u * 2, width: u * 0.9, borderRadius: u * 0.45, background: '#f59e0b' }} />
      </div>
    </div>,
    { width: size, height: size },
  );
}
