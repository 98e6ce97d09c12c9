import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { addGuardianship } from '@/db/queries/persons';
import { openBinding } from '@/db/queries/checker-bindings';
import { hasAnyAccount } from '@/db/queries/demo';
import { mainEntranceOfVenue } from '@/db/queries/entrances';
import { rebuildVenueStats } from '@/db/queries/stats-rollups';
import { grantRole } from '@/db/queries/roles';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { registerPerson, type RegisterInput } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { listRegionChildren } from '@/lib/regions/divisions';
import { approveChecker, bindByInviteCode } from '@/lib/venues/checkers';
import { setBindingMode } from '@/lib/venues/edit-venue';
import { addEntrance } from '@/lib/venues/entrances';
import { registerVenue } from '@/lib/venues/register-venue';
import { DEMO_ACCOUNTS } from './accounts';
import { seedCheckinHistory, seedVisitors, type DemoEntrance } from './history';

const resident = (name: string, birthDate: string, gender: 'M' | 'F', sequence: number, region = '440106') => ({
  idType: 'cn_resident',
  name,
  idNumber: makeResidentIdNumber({ region, birthDate, gender, sequence }),
});

/** Seeds demo data into an empty database. Returns false (and does nothing) when there is data already. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  if (await hasAnyAccount(db)) return false;
  const ids: Record<string, string> = {};
  await db.transaction(async (tx) => {
    for (const demo of DEMO_ACCOUNTS) {
      const { id } = await findOrCreateAccount(tx, demo.phone);
      ids[demo.phone] = id;
      await appendAudit(tx, {
        actorAccountId: null,
        action: 'account.create',
        targetType: 'account',
        targetId: id,
        details: { seed: true },
      });
    }
    // SPEC T1: a province official, and a district official of 天河区 (the first demo venue's district).
    await grantRole(tx, ids['13800000010'], 'health_official', null, '44');
    await grantRole(tx, ids['13800000004'], 'health_official', ids['13800000010'], '440106');
  });

  const deps = { keys: fieldKeysFromEnv(), verifier: devIdentityVerifier };
  const register = (phone: string, relation: RegisterInput['relation'], p: ReturnType<typeof resident>) =>
    registerPerson(db, deps, { accountId: ids[phone] }, { ...p, relation });

  // A family with two guardians: Mr Chen and Ms Lin both guard their daughter; Mr Chen guards his mother.
  const chen = resident('陈志明', '1985-06-12', 'M', 11);
  const lin = resident('林美华', '1987-09-03', 'F', 12, '440104');
  const daughter = resident('陈一一', '2017-03-21', 'F', 13);
  const grandmother = resident('黄秀英', '1946-11-30', 'F', 14, '445102');
  const family: string[] = [];
  const keep = (r: Awaited<ReturnType<typeof register>>) => r.ok && family.push(r.personId);
  keep(await register('13800000001', 'self', chen));
  await register('13800000005', 'self', lin);
  const daughterAdded = await register('13800000001', 'family', daughter);
  keep(daughterAdded);
  // Ms Lin is the daughter's second guardian: demo data, linked directly (a real second guardian asks and
  // Mr Chen consents, SPEC L1).
  if (daughterAdded.ok) await addGuardianship(db, ids['13800000005'], daughterAdded.personId);
  keep(await register('13800000001', 'family', grandmother));
  await register('13800000002', 'self', resident('张伟', '1979-02-14', 'M', 21, '440304'));
  await register('13800000003', 'self', resident('李娜', '1995-08-08', 'F', 22, '440606'));
  await register('13800000004', 'self', resident('王建国', '1972-05-01', 'M', 23));
  const red = resident('刘洋', '1990-12-24', 'M', 31, '441302');
  await register('13800000006', 'self', red);
  const redChild = resident('刘小雨', '2012-07-07', 'F', 32, '441302');
  await register('13800000006', 'family', redChild);

  // The demo's colours are set by the province official (the documents lie in no district yet).
  const official = { accountId: ids['13800000010'] };
  await setColourByOfficial(db, deps.keys, official, {
    idType: 'cn_resident',
    idNumber: red.idNumber,
    colour: 'red',
    reason: 'close_contact',
    note: '演示数据',
  });
  await setColourByOfficial(db, deps.keys, official, {
    idType: 'cn_resident',
    idNumber: redChild.idNumber,
    colour: 'red',
    reason: 'home_isolation',
    note: '演示数据',
  });
  // A red code for someone not registered yet: it applies when they register.
  await setColourByOfficial(db, deps.keys, official, {
    idType: 'cn_resident',
    idNumber: makeResidentIdNumber({ region: '440703', birthDate: '1968-04-04', gender: 'M', sequence: 41 }),
    colour: 'red',
    reason: 'other_province',
  });
  await seedVenues(db, ids, family);
  return true;
}

/** Venues of different types in different Guangdong townships, each with an admin and checkers. */
async function seedVenues(db: Db, ids: Record<string, string>, family: string[]) {
  const township = (district: string, index = 0) => listRegionChildren(district)[index]?.code ?? '';
  const venues = [
    {
      admin: '13800000002',
      name: '天河城购物中心',
      type: 'retail',
      townshipCode: township('440106', 2),
      address: '天河路208号',
      contactPhone: '020-85590000',
    },
    {
      admin: '13800000007',
      name: '广州南站东进站口',
      type: 'transport',
      townshipCode: township('440113', 5),
      address: '南站北路',
      contactPhone: '020-39267000',
    },
    {
      admin: '13800000008',
      name: '松山湖花园小区北门',
      type: 'residential_gate',
      townshipCode: listRegionChildren('4419')[0]?.code ?? '',
      address: '松山湖大道1号',
      contactPhone: '13800000008',
    },
  ];
  const codes: string[] = [];
  const venueIds: string[] = [];
  for (const v of venues) {
    const result = await registerVenue(db, { accountId: ids[v.admin] }, v);
    if (!result.ok) throw new Error(`seed venue ${v.name}: ${JSON.stringify(result)}`);
    codes.push(result.inviteCode);
    venueIds.push(result.venueId);
  }
  // 多入口: the mall and the station have several doors (added by their admins, as on the entrances page),
  // each with its share of the visits; the residential gate has only its main entrance.
  const since = new Date(Date.now() - 40 * 86_400_000);
  const entrancesOf = async (venueId: string, admin: string, doors: [string, number][], mainWeight: number) => {
    const main = await mainEntranceOfVenue(db, venueId);
    const out: DemoEntrance[] = [{ id: main!.id, weight: mainWeight }];
    for (const [name, weight] of doors) {
      const added = await addEntrance(db, { accountId: ids[admin] }, { name }, since);
      if (!('entranceId' in added)) throw new Error(`seed entrance ${name}: ${JSON.stringify(added)}`);
      out.push({ id: added.entranceId, weight });
    }
    return out;
  };
  const mallDoors = await entrancesOf(
    venueIds[0],
    '13800000002',
    [
      ['东门', 3],
      ['北门', 2],
      ['地下车库', 1.5],
    ],
    4,
  );
  const stationDoors = await entrancesOf(
    venueIds[1],
    '13800000007',
    [
      ['地铁换乘口', 4],
      ['出租车上客区', 1],
    ],
    5,
  );
  const limits = { perAccountPerHour: 1000, perIpPerHour: 1000, secret: 'seed' };
  // The demo checker has worked at the mall and the station for weeks: their history below is in range.
  const bind = (phone: string, code: string, displayName: string, at = new Date()) =>
    bindByInviteCode(db, { accountId: ids[phone] }, { inviteCode: code, displayName }, 'seed', limits, at);
  // The demo checker works at the mall (approved) and at the station (which binds immediately).
  const mall = await bind('13800000003', codes[0], '东门-李娜', since);
  const mallBinding = await openBinding(db, venueIds[0], ids['13800000003']);
  if (mall.ok && mallBinding) await approveChecker(db, { accountId: ids['13800000002'] }, mallBinding.id, since);
  await setBindingMode(db, { accountId: ids['13800000007'] }, 'immediate');
  await bind('13800000003', codes[1], '东进站口-李娜', since);
  await bind('13800000009', codes[0], '北门-陈师傅');

  // Their history: the demo checker at the mall and the station; the gate's own admin has no checker yet.
  const visitors = await seedVisitors(db, fieldKeysFromEnv(), 400);
  const checker = [ids['13800000003']];
  const atMall = { venueId: venueIds[0], checkerIds: checker, entrances: mallDoors };
  await seedCheckinHistory(db, { ...atMall, personIds: visitors, perDay: 120, days: 35, seed: 1 });
  // The Chen family shops at the mall now and then, so 我的粤康码信息 has records to show.
  await seedCheckinHistory(db, { ...atMall, personIds: family, perDay: 1, days: 20, seed: 3 });
  await seedCheckinHistory(db, {
    venueId: venueIds[1],
    checkerIds: checker,
    entrances: stationDoors,
    personIds: visitors,
    perDay: 300,
    days: 35,
    seed: 2,
  });
  // The history went in directly: compute the venues' statistics from it.
  for (const venueId of venueIds) await rebuildVenueStats(db, venueId);
}
