// The drill's entrances (多入口): 东门 and 北门 beside each venue's main entrance, added and removed as the
// database owner (drill data, like the rest of scripts/bench/setup.ts's seed).
import postgres from 'postgres';

export type DrillEntrances = { main: string; east: string; north: string };
const NAMES = { east: '东门', north: '北门' } as const;

export async function addDrillEntrances(ownerUrl: string, venueIds: string[]): Promise<Map<string, DrillEntrances>> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into venue_entrances (venue_id, name)
              select v, n from unnest(${venueIds}::uuid[]) v cross join unnest(${Object.values(NAMES)}::text[]) n`;
    const rows = await sql<{ venueId: string; id: string; name: string | null }[]>`
      select venue_id::text as "venueId", id::text, name from venue_entrances where venue_id = any(${venueIds}::uuid[])`;
    const out = new Map<string, DrillEntrances>();
    for (const v of venueIds) {
      const of = (name: string | null) => rows.find((r) => r.venueId === v && r.name === name)!.id;
      out.set(v, { main: of(null), east: of(NAMES.east), north: of(NAMES.north) });
    }
    return out;
  } finally {
    await sql.end();
  }
}

/** Removes one entrance at every venue (soft, as the admin's page does). */
export async function removeDrillEntrance(ownerUrl: string, which: keyof typeof NAMES): Promise<void> {
  // PostgreSQL may be down at this moment (the drill's other fault): try until it answers.
  for (let attempt = 0; ; attempt++) {
    const sql = postgres(ownerUrl, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    try {
      await sql`update venue_entrances set removed_at = now() where name = ${NAMES[which]} and removed_at is null`;
      return;
    } catch (error) {
      if (attempt > 60) throw error;
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  }
}
