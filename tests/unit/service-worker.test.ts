import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAssets, OFFLINE_PAGES, serviceWorkerSource } from '@/lib/pwa/service-worker';

describe('the service worker', () => {
  it('precaches every static file of the build (not source maps) and the scanner shell, named by build', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sw-'));
    mkdirSync(path.join(root, '.next/static/chunks'), { recursive: true });
    mkdirSync(path.join(root, '.next/static/css'), { recursive: true });
    writeFileSync(path.join(root, '.next/BUILD_ID'), 'b123\n');
    writeFileSync(path.join(root, '.next/static/chunks/a1.js'), '');
    writeFileSync(path.join(root, '.next/static/chunks/a1.js.map'), '');
    writeFileSync(path.join(root, '.next/static/css/s.css'), '');
    const { buildId, assets } = await buildAssets(root);
    expect(buildId).toBe('b123');
    expect(assets.sort()).toEqual(['/_next/static/chunks/a1.js', '/_next/static/css/s.css']);
    const source = serviceWorkerSource(buildId, assets);
    expect(source).toContain("const CACHE = 'door-b123'");
    for (const url of [...OFFLINE_PAGES, ...assets]) expect(source).toContain(JSON.stringify(url));
    // It is valid JavaScript, and it never touches the API.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiles the worker to prove it parses; never calls it
    expect(() => new Function(source)).not.toThrow();
    expect(source).not.toMatch(/['"]\/api\//);
  });

  it('answers with no build present (development) without failing', async () => {
    const { buildId, assets } = await buildAssets(mkdtempSync(path.join(tmpdir(), 'sw-empty-')));
    expect(buildId).toBe('development');
    expect(assets).toEqual([]);
  });
});
