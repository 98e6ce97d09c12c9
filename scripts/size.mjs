// The JavaScript the scanner's page loads before the camera starts, gzipped, from the production build
// (`npx next build` first). The page is a static shell: its prerendered HTML names every chunk that
// loads eagerly (<script src>, preloads and the client references of the RSC payload). Chunks loaded
// later by import() — html5-qrcode when the camera starts, the English catalogue — are not named there.
// A `noModule` script (Next's legacy polyfills) is never fetched by a browser that runs modules, which
// every browser with a camera API does: listed, not counted. Exits 1 above the budget, for CI.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;
const root = path.resolve(import.meta.dirname, '..');
const html = path.join(root, '.next/server/app/checker/scan.html');
if (!existsSync(html)) {
  console.error(`size: ${path.relative(root, html)} not found: run \`npx next build\` first.`);
  process.exit(2);
}
const page = readFileSync(html, 'utf8');

const noModule = new Set(
  [...page.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].filter((m) => /\bnoModule\b/i.test(m[0])).map((m) => m[1]),
);
const chunks = [...new Set([...page.matchAll(/\/_next\/static\/chunks\/[\w.~-]+\.js/g)].map((m) => m[0]))];

const rows = chunks.map((src) => {
  const bytes = readFileSync(path.join(root, '.next/static', src.slice('/_next/static/'.length)));
  return { src, raw: bytes.length, gzip: gzipSync(bytes).length, counted: !noModule.has(src) };
});
// gzip at zlib's default level, as `next start` compresses; 1 KB = 1,000 bytes.
const kb = (n) => (n / 1000).toFixed(1).padStart(6);
for (const r of rows.sort((a, b) => b.gzip - a.gzip)) {
  console.log(
    `${kb(r.gzip)} KB gz ${kb(r.raw)} KB  ${r.src}${r.counted ? '' : '  (noModule: not loaded by module browsers, not counted)'}`,
  );
}
const total = rows.filter((r) => r.counted).reduce((s, r) => s + r.gzip, 0);
console.log(
  `\n/checker/scan before the camera starts: ${kb(total).trim()} KB gzipped JavaScript in ${rows.filter((r) => r.counted).length} chunks (budget ${BUDGET_KB} KB)`,
);
if (total > BUDGET_KB * 1000) {
  console.error(`size: over the budget by ${kb(total - BUDGET_KB * 1000).trim()} KB`);
  process.exit(1);
}
