import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import { demoPersonFacts, insertDemoPersons, insertDemoScans, type DemoScan } from '@/db/queries/demo';
import { ageBandOn } from '@/lib/checkin/age-band';
import { generateShortCode } from '@/lib/health-code/short-code';
import { encryptField, hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { maskIdNumber, maskName } from '@/lib/identity/mask';
import { addChinaDays, chinaDateOf, startOfChinaDay } from '@/lib/time';

// Demo history for the dashboards: visitors with valid IDs, five weeks of check-ins per venue with a daily
// and hourly rhythm (morning and evening peaks, busier weekends), about 1% fevers, and some corrections
// (a re-scan a few minutes later that supersedes the first reading). Deterministic, so screens repeat.
// Written in bulk (one statement per venue), then the statistics are rebuilt once.

const SURNAMES = '陈林黄张李王吴刘蔡杨郑梁谢何罗许邓冯曾彭';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '志明',
  '晓燕',
  '子轩',
];
// Share of a day's visits in each hour (China Standard Time).
const HOURLY = [0, 0, 0, 0, 0, 1, 3, 8, 10, 7, 6, 7, 8, 6, 5, 5, 6, 9, 10, 8, 5, 3, 2, 1];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function seedVisitors(db: Db, keys: FieldKeys, count: number): Promise<string[]> {
  const random = rng(20261127);
  const rows = Array.from({ length: count }, (_, i) => {
    const year = 1945 + Math.floor(random() * 70);
    const birthDate = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const gender = random() < 0.5 ? 'M' : 'F';
    const idNumber = makeResidentIdNumber({ region: '440106', birthDate, gender, sequence: i % 100 });
    const name = SURNAMES[Math.floor(random() * SURNAMES.length)] + GIVEN[Math.floor(random() * GIVEN.length)];
    return {
      idType: 'cn_resident',
      idHash: hashIdDocument(keys, { idType: 'cn_resident', idNumber }),
      idNumberEnc: encryptField(keys, idNumber),
      idNumberMasked: maskIdNumber(idNumber),
      nameEnc: encryptField(keys, name),
      nameMasked: maskName(name),
      gender,
      birthDate,
      shortCode: generateShortCode(),
    };
  });
  return insertDemoPersons(db, rows);
}

/** An entrance of the venue and its share of the visits (they need not add up to 1). */
export type DemoEntrance = { id: string; weight: number };

/**
 * Inserts a venue's history directly (it is demo data); supersede links follow the write path's rules.
 * Each record carries what the door's write fixes on it: the entrance (by the entrances' weights; a
 * correction is taken at the same door), the person's gender and age band then, and the venue's township.
 */
export async function seedCheckinHistory(
  db: Db,
  opts: {
    venueId: string;
    checkerIds: string[];
    personIds: string[];
    entrances: DemoEntrance[];
    perDay: number;
    days: number;
    seed: number;
  },
) {
  const random = rng(opts.seed);
  const facts = new Map((await demoPersonFacts(db, opts.personIds)).map((p) => [p.id, p]));
  const weights = opts.entrances.reduce((a, e) => a + e.weight, 0);
  const entranceAt = () => {
    let pick = random() * weights;
    for (const e of opts.entrances) if ((pick -= e.weight) < 0) return e.id;
    return opts.entrances[0].id;
  };
  const factsOf = (person: string, at: number) => {
    const p = facts.get(person);
    return { gender: p?.gender ?? null, ageBand: p?.birthDate ? ageBandOn(p.birthDate, new Date(at)) : null };
  };
  const now = Date.now();
  const today = chinaDateOf(new Date(now));
  const total = HOURLY.reduce((a, b) => a + b, 0);
  const rows: DemoScan[] = [];
  for (let d = opts.days; d >= 0; d--) {
    const day = addChinaDays(today, -d);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const visits = Math.round(opts.perDay * (weekday === 0 || weekday === 6 ? 1.4 : 1) * (0.85 + random() * 0.3));
    const dayStart = startOfChinaDay(day).getTime();
    for (let v = 0; v < visits; v++) {
      let pick = random() * total;
      let hour = 0;
      while (pick > HOURLY[hour]) pick -= HOURLY[hour++];
      const at = dayStart + hour * 3_600_000 + Math.floor(random() * 3_600_000);
      if (at > now) continue;
      const fever = random() < 0.01;
      const deci = fever ? 373 + Math.floor(random() * 20) : 360 + Math.floor(random() * 13);
      const checker = opts.checkerIds[Math.floor(random() * opts.checkerIds.length)];
      const person = opts.personIds[Math.floor(random() * opts.personIds.length)];
      const iso = new Date(at).toISOString();
      const entrance = entranceAt();
      const first: DemoScan = { id: randomUUID(), checker, person, deci, at: iso, supersedes: null, entrance, ...factsOf(person, at) };
      rows.push(first);
      // About one in fifty readings (and most fevers) is corrected by a re-scan a few minutes later.
      if (random() < 0.02 || (fever && random() < 0.5)) {
        const later = at + (2 + Math.floor(random() * 8)) * 60_000;
        if (later <= now) {
          const corrected = 362 + Math.floor(random() * 8);
          const iso = new Date(later).toISOString();
          rows.push({
            id: randomUUID(),
            checker,
            person,
            deci: corrected,
            at: iso,
            supersedes: first.id,
            entrance,
            ...factsOf(person, later),
          });
        }
      }
    }
  }
  return insertDemoScans(db, opts.venueId, rows);
}
