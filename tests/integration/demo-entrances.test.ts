// The demo seed has entrances (多入口) and its records carry them with the facts of the visit, so the
// demo's statistics by entrance show data.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { seedDemoIfEmpty } from '@/lib/demo/seed';
import { useTestDb } from '../helpers/fixtures';

const h = useTestDb();

it(
  'the mall and the station have several entrances, and every seeded record names one of its venue with its facts',
  { timeout: 240_000 },
  async () => {
    expect(await seedDemoIfEmpty(h.db)).toBe(true);
    const perVenue = rowsOf<{ name: string; entrances: string[]; records: number; without_facts: number; foreign: number; used: number }>(
      await h.db.execute(sql`
      select v.name,
             (select array_agg(coalesce(e.name, '主入口') order by e.is_main desc, e.created_at) from venue_entrances e where e.venue_id = v.id) as entrances,
             (select count(*)::int from checkins c where c.venue_id = v.id) as records,
             (select count(*)::int from checkins c where c.venue_id = v.id
                and (c.entrance_id is null or c.gender is null or c.age_band is null or c.township_code is distinct from v.township_code)) as without_facts,
             (select count(*)::int from checkins c where c.venue_id = v.id
                and not exists (select 1 from venue_entrances e where e.venue_id = v.id and e.id = c.entrance_id)) as foreign,
             (select count(distinct c.entrance_id)::int from checkins c where c.venue_id = v.id) as used
        from venues v order by v.created_at`),
    );
    const byName = Object.fromEntries(perVenue.map((v) => [v.name, v]));
    expect(byName['天河城购物中心'].entrances).toEqual(['主入口', '东门', '北门', '地下车库']);
    expect(byName['广州南站东进站口'].entrances).toEqual(['主入口', '地铁换乘口', '出租车上客区']);
    for (const v of perVenue) {
      expect(v.without_facts, v.name).toBe(0);
      expect(v.foreign, v.name).toBe(0);
      if (v.records > 0) expect(v.used, v.name).toBe(v.entrances.length);
    }
    expect(byName['天河城购物中心'].records).toBeGreaterThan(1000);
  },
);
