/**
 * The sunflower (sunflower code) frame: petals around a round yellow disc, the QR in the middle on white. The QR
 * keeps its quiet zone, so the petals never touch what a camera has to read.
 */
export function SunflowerQr({ qrDataUrl, alt, size = 320 }: { qrDataUrl: string; alt: string; size?: number }) {
  const petals = 20;
  return (
    <svg
      viewBox="-100 -100 200 200"
      width={size}
      height={size}
      role="img"
      aria-label={alt}
      className="mx-auto block max-w-full"
      data-testid="sunflower"
    >
      {Array.from({ length: petals }, (_, i) => (
        <ellipse key={i} cx="0" cy="-78" rx="11" ry="20" fill={i % 2 ? '#f7b500' : '#ffcb2f'} transform={`rotate(${(360 / petals) * i})`} />
      ))}
      <circle r="70" fill="#f59f00" />
      <circle r="64" fill="#ffffff" />
      <image href={qrDataUrl} x="-45" y="-45" width="90" height="90" />
    </svg>
  );
}
