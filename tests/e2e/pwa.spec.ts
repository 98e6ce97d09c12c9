import { expect, test } from '@playwright/test';

// The installable scanner: the manifest the page links to is fetched and checked as a browser would
// read it — name, start_url inside the scope, standalone display, and every icon reachable as a PNG of
// the size it claims.
test('the PWA manifest: name, start_url, display, and icons that load', async ({ page, request }) => {
  await page.goto('/sign-in');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/application\/manifest\+json|application\/json/);
  const manifest = (await res.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    scope: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest.name).toBe('场所体温检测');
  expect(manifest.short_name.length).toBeGreaterThan(0);
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('/checker/scan');
  expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
  // The start page answers (the static scanner shell).
  expect((await request.get(manifest.start_url)).status()).toBe(200);

  const sizes = manifest.icons.map((i) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    const img = await request.get(icon.src);
    expect(img.status(), icon.src).toBe(200);
    expect(img.headers()['content-type'], icon.src).toBe(icon.type);
    const body = await img.body();
    // PNG signature, then the IHDR width and height.
    expect(body.subarray(1, 4).toString('latin1'), icon.src).toBe('PNG');
    const [w, h] = icon.sizes.split('x').map(Number);
    expect([body.readUInt32BE(16), body.readUInt32BE(20)], icon.src).toEqual([w, h]);
  }
});
