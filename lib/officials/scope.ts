import 'server-only';
import type { DbOrTx } from '@/db';
import { roleRegionOf } from '@/db/queries/roles';
import { regionLevelOf, type RegionLevel } from '@/lib/regions/divisions';

/**
 * SPEC T1: a health official acts inside one region of the GB/T 2260 tree (44 the province, a city, a
 * district or a township). Codes nest by prefix (township 440106001 is in district 440106, city 4401 and
 * province 44; the townships of 东莞 4419 and 中山 4420 sit directly under their city), so "inside" is a
 * prefix test on codes.
 */
export type Official = { accountId: string; regionCode: string; level: RegionLevel };

/** The account's official role with its region, or null when it holds none (never granted, or revoked). */
export async function officialOf(db: DbOrTx, accountId: string): Promise<Official | null> {
  const regionCode = await roleRegionOf(db, accountId, 'health_official');
  if (!regionCode) return null;
  return { accountId, regionCode, level: regionLevelOf(regionCode) ?? 'province' };
}

/** True when `code` (a region or township code) lies inside `region` (itself included). */
export function regionContains(region: string, code: string | null | undefined): boolean {
  return typeof code === 'string' && code.length >= region.length && code.startsWith(region);
}

/** True when the official acts for the whole province. */
export const isProvinceOfficial = (o: Official) => o.regionCode === '44';
