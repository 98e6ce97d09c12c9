/**
 * The sunflower code for a phone held up at a door: the QR takes three quarters of the frame's width
 * (≥ 60 % of a 390 px screen), with the petals in a thin band around it. The white square keeps a quiet
 * zone around the QR's own, so no petal touches what the camera reads.
 */
export function SunflowerFrame({ qrDataUrl, alt }: { qrDataUrl: string; alt: string }) {
  // Five petals along each side, one on each corner (x along the side, the distance out, the turn).
  const petals = [0, 90, 180, 270].flatMap((turn) => [
    ...[-60, -30, 0, 30, 60].map((x) => ({ x, y: -92, turn, rx: 11, ry: 8 })),
    { x: 0, y: -124, turn: turn + 45, rx: 10, ry: 12 },
  ]);
  return (
    <svg
      viewBox="-100 -100 200 200"
      role="img"
      aria-label={alt}
      className="mx-auto block aspect-square w-full max-w-[26rem]"
      data-testid="sunflower"
    >
      {petals.map((p, i) => (
        <ellipse key={i} cx={p.x} cy={p.y} rx={p.rx} ry={p.ry} fill={i % 2 ? '#f7b500' : '#ffcb2f'} transform={`rotate(${p.turn})`} />
      ))}
      <rect x="-84" y="-84" width="168" height="168" rx="16" fill="#f59f00" />
      <rect x="-80" y="-80" width="160" height="160" rx="12" fill="#ffffff" />
      <image href={qrDataUrl} x="-77" y="-77" width="154" height="154" data-testid="sunflower-qr" />
    </svg>
  );
}
