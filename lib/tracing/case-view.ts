import 'server-only';
import type { DbOrTx } from '@/db';
import { checkerNames, caseContacts, caseEvents, familyOf, personsForCase, selfPersonsOf } from '@/db/queries/trace-cases';
import { checkersOnDuty, coPresentRecords, groupByPerson, handoffsOfCase, trajectory, type TrajectoryVisit } from '@/db/queries/tracing';
import { env, MIN_CHECKIN_RETENTION_DAYS } from '@/lib/env';
import { decryptField, type FieldKeys } from '@/lib/identity/field-crypto';
import { formatRegion } from '@/lib/regions/divisions';
import { maySeeContactsOf, type CaseAccess } from './access';

const DAY = 86_400_000;

export type CaseViewVisit = {
  venueId: string;
  checkinId: string;
  venueName: string;
  townshipCode: string;
  /** The visit's region, province to township ('' when the code is unknown). */
  regionName: string;
  entranceName: string | null;
  effectiveAt: Date;
  method: TrajectoryVisit['method'];
  temperatureDeci: number | null;
  superseded: boolean;
  /** May this official see the persons near it (inside their region; for a hand-off, only handed visits)? */
  visible: boolean;
  /** Distinct persons within the window around it (a count only: shown for every visit). */
  coPresentCount: number;
  handoff: { id: string; createdAt: Date } | null;
  /** Inside the official's region: a visit outside it can be handed off (移交). */
  insideRegion: boolean;
};

export type CaseViewContact = {
  personId: string;
  idHash: string;
  name: string;
  idType: string;
  idNumber: string;
  /** The case's visits they overlap (checkin ids), oldest first. */
  visitIds: string[];
  minGapSeconds: number;
  count: number;
  /** Linked to the case's person as family (they share an account). */
  family: boolean;
  marked: { markedAt: Date; clearedAt: Date | null } | null;
};

export type CaseView = {
  case: {
    id: string;
    kind: string;
    indexDate: string;
    lookbackFrom: Date;
    lookbackTo: Date | null;
    windowMinutes: number;
    status: 'open' | 'closed';
    regionCode: string;
    regionName: string;
    openedAt: Date;
    closedAt: Date | null;
  };
  person: { id: string; name: string; idType: string; idNumber: string; gender: string; birthDate: string };
  scope: 'region' | 'handoff';
  /**
   * SPEC L4: records are cut `days` after they were made; while the case is open its person's records in
   * the look-back and the records near its visits are held (heldUntilClosed). oldestVisitCutAt: when the
   * oldest visit shown would be cut once the case is closed (null without visits).
   */
  retention: { days: number; heldUntilClosed: boolean; oldestVisitCutAt: Date | null };
  visits: CaseViewVisit[];
  contacts: CaseViewContact[];
  /** On duty around visible visits: accounts, listed apart; markable only through their own person (selfPersonId). */
  checkers: { visitId: string; displayName: string; accountId: string; selfPersonId: string | null }[];
  events: { kind: string; at: Date; actorAccountId: string | null; details: Record<string, unknown> }[];
};

/**
 * Everything an official's case page shows, for the access `caseForOfficial` granted. Reads only: the
 * caller writes the audit row (case.read, reason = the case) in the same transaction, on the primary.
 * A hand-off official sees only the visits handed to their region, and the persons near those.
 */
export async function loadCaseView(
  db: DbOrTx,
  keys: FieldKeys,
  access: CaseAccess,
  now: Date,
  opts: { retentionDays?: number } = {},
): Promise<CaseView> {
  const c = access.case;
  const to = c.lookbackTo ?? now;
  const all = await trajectory(db, c.personId, c.lookbackFrom, to);
  const caseHandoffs = access.scope === 'region' ? await handoffsOfCase(db, c.id) : access.handoffs;
  const handoffOf = (v: { venueId: string; checkinId: string }) =>
    caseHandoffs.find((h) => h.venueId === v.venueId && h.checkinId === v.checkinId) ?? null;
  const path = access.scope === 'region' ? all : all.filter((v) => handoffOf(v) && maySeeContactsOf(access, v));

  const records = await coPresentRecords(
    db,
    path.map((v) => ({ visitId: v.checkinId, venueId: v.venueId, at: v.effectiveAt })),
    c.windowMinutes,
    c.personId,
  );
  const countOf = new Map<string, Set<string>>();
  for (const r of records) countOf.set(r.visitId, (countOf.get(r.visitId) ?? new Set()).add(r.personId));

  const visits: CaseViewVisit[] = path.map((v) => {
    const h = handoffOf(v);
    return {
      venueId: v.venueId,
      checkinId: v.checkinId,
      venueName: v.venueName,
      townshipCode: v.townshipCode,
      regionName: formatRegion(v.townshipCode),
      entranceName: v.entranceName,
      effectiveAt: v.effectiveAt,
      method: v.method,
      temperatureDeci: v.temperatureDeci,
      superseded: v.superseded,
      visible: maySeeContactsOf(access, v),
      coPresentCount: countOf.get(v.checkinId)?.size ?? 0,
      handoff: h ? { id: h.id, createdAt: h.createdAt } : null,
      insideRegion: v.townshipCode.startsWith(access.official.regionCode),
    };
  });

  const visibleIds = new Set(visits.filter((v) => v.visible).map((v) => v.checkinId));
  const seen = records.filter((r) => visibleIds.has(r.visitId));
  const grouped = groupByPerson(seen);
  const people = await personsForCase(db, [c.personId, ...grouped.map((g) => g.personId)]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const family = grouped.length > 0 ? await familyOf(db, c.personId) : new Set<string>();
  const order = new Map(path.map((v, i) => [v.checkinId, i]));
  const marks = new Map((await caseContacts(db, c.id)).map((m) => [m.idHash, m]));
  const contacts: CaseViewContact[] = grouped.flatMap((g) => {
    const p = byId.get(g.personId);
    if (!p) return [];
    const m = marks.get(p.idHash);
    return [
      {
        personId: p.id,
        idHash: p.idHash,
        name: decryptField(keys, p.nameEnc),
        idType: p.idType,
        idNumber: decryptField(keys, p.idNumberEnc),
        visitIds: [...g.visitIds].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
        minGapSeconds: g.minGapSeconds,
        count: g.count,
        family: family.has(p.id),
        marked: m ? { markedAt: m.markedAt, clearedAt: m.clearedAt } : null,
      },
    ];
  });

  const duty = checkersOnDuty(seen);
  const venueOfVisit = new Map(path.map((v) => [v.checkinId, v.venueId]));
  const names = await checkerNames(
    db,
    duty.map((d) => ({ venueId: venueOfVisit.get(d.visitId)!, accountId: d.checkerAccountId })),
  );
  const selves = await selfPersonsOf(db, [...new Set(duty.map((d) => d.checkerAccountId))]);
  const checkers = duty.map((d) => ({
    visitId: d.visitId,
    accountId: d.checkerAccountId,
    displayName: names.get(`${venueOfVisit.get(d.visitId)}:${d.checkerAccountId}`) ?? '',
    selfPersonId: selves.get(d.checkerAccountId) ?? null,
  }));

  const me = byId.get(c.personId);
  if (!me) throw new Error(`case ${c.id}: person ${c.personId} is missing`);
  const days = Math.max(opts.retentionDays ?? env().CHECKIN_RETENTION_DAYS, MIN_CHECKIN_RETENTION_DAYS);
  const oldest = visits.length > 0 ? Math.min(...visits.map((v) => v.effectiveAt.getTime())) : null;

  return {
    case: {
      id: c.id,
      kind: c.kind,
      indexDate: c.indexDate,
      lookbackFrom: c.lookbackFrom,
      lookbackTo: c.lookbackTo,
      windowMinutes: c.windowMinutes,
      status: c.status === 'closed' ? 'closed' : 'open',
      regionCode: c.regionCode,
      regionName: formatRegion(c.regionCode),
      openedAt: c.openedAt,
      closedAt: c.closedAt,
    },
    person: {
      id: me.id,
      name: decryptField(keys, me.nameEnc),
      idType: me.idType,
      idNumber: decryptField(keys, me.idNumberEnc),
      gender: me.gender,
      birthDate: me.birthDate,
    },
    scope: access.scope,
    retention: { days, heldUntilClosed: c.status === 'open', oldestVisitCutAt: oldest === null ? null : new Date(oldest + days * DAY) },
    visits,
    contacts,
    checkers,
    events: (await caseEvents(db, c.id)).map((e) => ({ kind: e.kind, at: e.at, actorAccountId: e.actorAccountId, details: e.details })),
  };
}
