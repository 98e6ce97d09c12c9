import QRCode from 'qrcode';

export const QR_COLOURS = { green: '#0a7440', red: '#c62828', black: '#000000' } as const;

/** A QR code as an SVG data URL (CSP allows data: images), coloured like the health code. */
export async function qrSvgDataUrl(text: string, colour: keyof typeof QR_COLOURS): Promise<string> {
  const svg = await QRCode.toString(text, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
    color: { dark: QR_COLOURS[colour], light: '#ffffff' },
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export async function qrPng(text: string, width = 600): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width,
    color: { dark: QR_COLOURS.black, light: '#ffffff' },
  });
}
