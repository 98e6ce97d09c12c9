import { randomUUID } from 'node:crypto';
import { and, count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { statusAt, statusHistory } from '@/db/queries/health-status';
import { hasRole } from '@/db/queries/roles';
import { accountRoles, auditLog, persons, statusChanges, statusImportBatches } from '@/db/schema';
import { bootstrapOfficials, findDocumentForOfficial, setColourByOfficial } from '@/lib/health-code/officials';
import { grantOfficial } from '@/lib/officials/governance';
import { getCodeForAccount, reissueCodes } from '@/lib/health-code/personal-codes';
import { resolveScannedText, resolveShortCode } from '@/lib/health-code/resolve-code';
import { SHORT_CODE_ALPHABET, computeShortCodeCheckChar, formatShortCode } from '@/lib/health-code/short-code';
import { importStatusBatch, MAX_IMPORT_ITEMS } from '@/lib/health-code/status-import';
import { codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import { hashIdDocument } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { answerLinkRequest } from '@/lib/identity/link-requests';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier } from '@/lib/identity/verifier';
import { createFixtures } from '../helpers/fixtures';

// Distinct valid resident IDs; the 10,000-item import uses its own range of birth dates (2000s), these use the 1930s–1990s.
const { h, fieldKeys, codeDeps, newPhone, newAccount, newResidentId } = createFixtures({
  phone: { prefix: '158', base: 2_000_000, step: 61 },
  ids: { fromYear: 1930, stepDays: 5 },
  fieldKeys: { encryptionKey: Buffer.alloc(32, 7), hashKey: Buffer.alloc(32, 9) },
  codeKeys: codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64')),
});
const { codeKeys } = codeDeps;
const idHashOf = (idNumber: string) => hashIdDocument(fieldKeys, { idType: 'cn_resident', idNumber });

let batchSeq = 0;
const newBatchId = () => `gd-hc:${Date.now()}-${(batchSeq += 1)}`;

async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}

/** Registers a person as the self of a new account; returns both ids. */
async function registeredPerson(name = '张三丰', idNumber = newResidentId()) {
  const accountId = await newAccount();
  const result = await registerPerson(
    h.db,
    { keys: fieldKeys, verifier: devIdentityVerifier },
    { accountId },
    { idType: 'cn_resident', idNumber, name, relation: 'self' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { accountId, personId: result.personId, idNumber, name };
}
async function codeOf(p: { accountId: string; personId: string }, kind: 'personal' | 'offline' = 'personal', now?: Date) {
  const code = await getCodeForAccount(h.db, codeDeps, { accountId: p.accountId }, p.personId, kind, now);
  if (!code) throw new Error('no code');
  return code;
}

let officialA: string;
let officialB: string;
const officialPhones = [newPhone(), newPhone()];
beforeAll(async () => {
  await bootstrapOfficials(h.db, [`+86 ${officialPhones[0]}`, officialPhones[1], 'not-a-phone']);
  officialA = (await findOrCreateAccount(h.db, officialPhones[0])).id;
  officialB = (await findOrCreateAccount(h.db, officialPhones[1])).id;
});

describe('resolving a scanned code', () => {
  it('returns only what a venue may see for a genuine token', async () => {
    const p = await registeredPerson('欧阳修远');
    for (const kind of ['personal', 'offline'] as const) {
      const code = await codeOf(p, kind);
      const result = await resolveScannedText(h.db, codeKeys, code.token);
      expect(result).toEqual({
        ok: true,
        person: {
          personId: p.personId,
          idHash: idHashOf(p.idNumber),
          kind,
          nameMasked: '欧***',
          gender: 'M',
          birthDate: expect.any(String),
          codeGeneration: 1,
        },
      });
      const dump = JSON.stringify(result);
      expect(dump).not.toContain(p.name);
      expect(dump).not.toContain('阳修远');
      expect(dump).not.toContain(p.idNumber);
      expect(dump).not.toContain(p.idNumber.slice(0, 17));
      expect(dump).not.toMatch(/Enc/);
    }
  });

  it('refuses the old token after a reissue and accepts the new one', async () => {
    const p = await registeredPerson();
    const old = (await codeOf(p)).token;
    const oldOffline = (await codeOf(p, 'offline')).token;
    expect(await reissueCodes(h.db, { accountId: p.accountId }, p.personId)).toEqual({ ok: true, generation: 2 });
    expect(await resolveScannedText(h.db, codeKeys, old)).toEqual({ ok: false, reason: 'superseded' });
    expect(await resolveScannedText(h.db, codeKeys, oldOffline)).toEqual({ ok: false, reason: 'superseded' });
    const fresh = (await codeOf(p)).token;
    expect(fresh).not.toBe(old);
    expect(await resolveScannedText(h.db, codeKeys, fresh)).toMatchObject({ ok: true, person: { personId: p.personId } });
    // A token for a generation not yet issued is not current either.
    const ahead = signCodeToken(codeKeys, { personId: p.personId, kind: 'personal', generation: 3 });
    expect(await resolveScannedText(h.db, codeKeys, ahead)).toEqual({ ok: false, reason: 'superseded' });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.reissue_codes'), eq(auditLog.targetId, p.personId)));
    expect(audit).toHaveLength(1);
  });

  it('names the reason for an unknown person, foreign text and a tampered token', async () => {
    const ghost = signCodeToken(codeKeys, { personId: randomUUID(), kind: 'personal', generation: 1 });
    expect(await resolveScannedText(h.db, codeKeys, ghost)).toEqual({ ok: false, reason: 'unknown_person' });
    for (const foreign of ['https://weixin.qq.com/r/abc', '粤康码', '', 'ykm1.abc.def']) {
      expect(await resolveScannedText(h.db, codeKeys, foreign)).toEqual({ ok: false, reason: 'not_ours' });
    }
    const p = await registeredPerson();
    const token = (await codeOf(p)).token;
    const i = token.length - 10;
    const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(await resolveScannedText(h.db, codeKeys, tampered)).toEqual({ ok: false, reason: 'bad_signature' });
    const otherKeys = codeKeysFromSeed(Buffer.alloc(32, 6).toString('base64'));
    expect(
      await resolveScannedText(h.db, codeKeys, signCodeToken(otherKeys, { personId: p.personId, kind: 'personal', generation: 1 })),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});

describe('resolving a short code', () => {
  const limits = { perMinute: 30 };

  it('resolves a valid code, in any typed form, to the masked person', async () => {
    const p = await registeredPerson('李白');
    const checker = await newAccount();
    const { shortCode } = await codeOf(p);
    for (const typed of [shortCode, formatShortCode(shortCode), ` ${formatShortCode(shortCode).toLowerCase()} `]) {
      const result = await resolveShortCode(h.db, { accountId: checker, venueId: 'venue-1' }, typed, limits);
      expect(result).toEqual({
        ok: true,
        person: {
          personId: p.personId,
          idHash: idHashOf(p.idNumber),
          kind: 'short',
          nameMasked: '李*',
          gender: 'M',
          birthDate: expect.any(String),
          codeGeneration: 1,
        },
      });
      expect(JSON.stringify(result)).not.toContain('李白');
    }
  });

  it('refuses a wrong checksum and a bad format without a look-up, and reports an unknown code', async () => {
    const p = await registeredPerson();
    const checker = await newAccount();
    const { shortCode } = await codeOf(p);
    const wrong = shortCode.slice(0, 9) + (shortCode[9] === 'A' ? 'B' : 'A');
    expect(await resolveShortCode(h.db, { accountId: checker }, wrong, limits)).toEqual({ ok: false, reason: 'checksum' });
    expect(await resolveShortCode(h.db, { accountId: checker }, 'O0I1', limits)).toEqual({ ok: false, reason: 'format' });
    expect(await countRows(auditLog, eq(auditLog.actorAccountId, checker))).toBe(0);

    let body = '23456789A';
    if (body + computeShortCodeCheckChar(body) === shortCode) body = '23456789B';
    const unknown = body + computeShortCodeCheckChar(body);
    expect(await resolveShortCode(h.db, { accountId: checker }, unknown, limits)).toEqual({ ok: false, reason: 'unknown_code' });
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.actorAccountId, checker));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'short_code.lookup', targetId: null, details: { found: false, venueId: null } });
  });

  it('limits misses per checker per minute (real codes are never slowed) and audits every look-up', async () => {
    const p = await registeredPerson();
    const { shortCode } = await codeOf(p);
    const checker = await newAccount();
    const otherChecker = await newAccount();
    const t0 = new Date('2026-03-01T02:00:10Z');
    const perMinute = 5;
    // Real codes do not use up the allowance.
    for (let i = 0; i < perMinute + 3; i++) {
      expect(await resolveShortCode(h.db, { accountId: checker, venueId: 'v' }, shortCode, { perMinute }, t0)).toMatchObject({ ok: true });
    }
    for (let i = 0; i < perMinute; i++) {
      const body = SHORT_CODE_ALPHABET.slice(i, i + 9);
      expect(
        await resolveShortCode(h.db, { accountId: checker, venueId: 'v' }, body + computeShortCodeCheckChar(body), { perMinute }, t0),
      ).toEqual({ ok: false, reason: 'unknown_code' });
    }
    const limited = await resolveShortCode(h.db, { accountId: checker }, shortCode, { perMinute }, new Date(t0.getTime() + 20_000));
    expect(limited).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 30 });

    const lookups = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'short_code.lookup'), eq(auditLog.actorAccountId, checker)));
    expect(lookups).toHaveLength(perMinute + 3 + perMinute);
    expect(lookups.filter((l) => l.targetId === p.personId)).toHaveLength(perMinute + 3);
    expect(lookups.every((l) => (l.details as { venueId: string }).venueId === 'v')).toBe(true);

    // Another checker has their own allowance; the next minute the first one has a new one.
    expect(await resolveShortCode(h.db, { accountId: otherChecker }, shortCode, { perMinute }, t0)).toMatchObject({ ok: true });
    expect(await resolveShortCode(h.db, { accountId: checker }, shortCode, { perMinute }, new Date(t0.getTime() + 60_000))).toMatchObject({
      ok: true,
    });
    expect(await countRows(auditLog, and(eq(auditLog.action, 'short_code.lookup'), eq(auditLog.actorAccountId, checker)))).toBe(
      2 * perMinute + 4,
    );
  });

  it('answers the old short code as superseded after a reissue (now), never as someone else', async () => {
    const p = await registeredPerson();
    const checker = await newAccount();
    const old = (await codeOf(p)).shortCode;
    await reissueCodes(h.db, { accountId: p.accountId }, p.personId);
    const fresh = (await codeOf(p)).shortCode;
    expect(fresh).not.toBe(old);
    // Judged now (the preview): ended. The door's write asks 'as_of_scan' and lets checkin_insert judge it.
    expect(await resolveShortCode(h.db, { accountId: checker }, old, limits)).toEqual({ ok: false, reason: 'superseded' });
    expect(await resolveShortCode(h.db, { accountId: checker }, old, limits, new Date(), 'as_of_scan')).toMatchObject({
      ok: true,
      person: { personId: p.personId, codeGeneration: 1 },
    });
    expect(await resolveShortCode(h.db, { accountId: checker }, fresh, limits)).toMatchObject({
      ok: true,
      person: { personId: p.personId },
    });
  });
});

describe('colour history', () => {
  it("refuses an official's note with a control character or nothing visible (a NUL was a 500), storing nothing", async () => {
    const p = await registeredPerson();
    const before = await countRows(statusChanges);
    const ref = { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'suspected' };
    for (const [note, reason] of [
      ['密接\u0000', 'text_control'],
      ['\u202E密接', 'text_control'],
      ['\u200B\u3164', 'text_invisible'],
    ]) {
      expect(await setColourByOfficial(h.db, fieldKeys, { accountId: officialA }, { ...ref, note })).toEqual({ ok: false, reason });
    }
    expect(await countRows(statusChanges)).toBe(before);
    expect(await setColourByOfficial(h.db, fieldKeys, { accountId: officialA }, { ...ref, note: '  核酸\r\n复查 ' })).toEqual({ ok: true });
    expect((await statusHistory(h.db, idHashOf(p.idNumber)))[0].note).toBe('核酸\n复查');
  });

  it('answers the colour at any moment', async () => {
    const p = await registeredPerson();
    const idHash = idHashOf(p.idNumber);
    const t1 = new Date('2026-04-01T01:00:00Z');
    const t2 = new Date('2026-04-08T01:00:00Z');
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: officialA },
        { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'suspected' },
        t1,
      ),
    ).toEqual({ ok: true });
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: officialA },
        { idType: 'cn_resident', idNumber: p.idNumber, colour: 'green' },
        t2,
      ),
    ).toEqual({ ok: true });

    expect(await statusAt(h.db, idHash, new Date(t1.getTime() - 1))).toEqual({ colour: 'green', reason: null, since: null });
    expect(await statusAt(h.db, idHash, t1)).toEqual({ colour: 'red', reason: 'suspected', since: t1 });
    expect(await statusAt(h.db, idHash, new Date('2026-04-05T00:00:00Z'))).toEqual({ colour: 'red', reason: 'suspected', since: t1 });
    expect(await statusAt(h.db, idHash, t2)).toEqual({ colour: 'green', reason: null, since: t2 });
    expect(await statusAt(h.db, idHash, new Date('2026-05-01T00:00:00Z'))).toEqual({ colour: 'green', reason: null, since: t2 });

    expect((await codeOf(p, 'personal', new Date('2026-04-02T00:00:00Z'))).status).toMatchObject({ colour: 'red', reason: 'suspected' });
    const history = await statusHistory(h.db, idHash);
    expect(history.map((r) => [r.colour, r.reason, r.validFrom.toISOString(), r.source])).toEqual([
      ['green', null, t2.toISOString(), 'official'],
      ['red', 'suspected', t1.toISOString(), 'official'],
    ]);
  });
});

describe('health officials', () => {
  it('refuses a non-official everything, writing nothing', async () => {
    const p = await registeredPerson();
    const someone = await newAccount();
    const before = { status: await countRows(statusChanges), roles: await countRows(accountRoles), audit: await countRows(auditLog) };
    const ref = { idType: 'cn_resident', idNumber: p.idNumber };
    expect(await findDocumentForOfficial(h.db, fieldKeys, { accountId: someone }, ref, { reason: '协查' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await setColourByOfficial(h.db, fieldKeys, { accountId: someone }, { ...ref, colour: 'red', reason: 'confirmed' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    const grant = (phone: string) => grantOfficial(h.db, { accountId: someone }, { phone, region: '44', reason: '新增人员' });
    expect(await grant(newPhone())).toEqual({ ok: false, reason: 'forbidden' });
    // Not even for themselves.
    expect(await grant(officialPhones[0])).toEqual({ ok: false, reason: 'forbidden' });
    expect({ status: await countRows(statusChanges), roles: await countRows(accountRoles), audit: await countRows(auditLog) }).toEqual(
      before,
    );
    expect(await hasRole(h.db, someone, 'health_official')).toBe(false);
    expect((await codeOf(p)).status.colour).toBe('green');
  });

  it('are bootstrapped from the configured phones, province-level, only while no province official exists', async () => {
    expect(await hasRole(h.db, officialA, 'health_official')).toBe(true);
    expect(await hasRole(h.db, officialB, 'health_official')).toBe(true);
    const grants = () => h.db.select().from(auditLog).where(eq(auditLog.action, 'role.grant'));
    const configured = (await grants()).filter((g) => (g.details as { by?: string }).by === 'configuration');
    expect(configured.map((g) => g.targetId).sort()).toEqual([officialA, officialB].sort());
    expect(configured.every((g) => g.actorAccountId === null)).toBe(true);
    const rolesBefore = await countRows(accountRoles);
    const auditBefore = await countRows(auditLog);
    await bootstrapOfficials(h.db, officialPhones);
    expect(await countRows(accountRoles)).toBe(rolesBefore);
    expect(await countRows(auditLog)).toBe(auditBefore);
    // A new phone in the configuration is not granted either: officials grant each other now.
    const late = newPhone();
    expect(await bootstrapOfficials(h.db, [late])).toEqual({ granted: 0 });
    expect(await hasRole(h.db, (await findOrCreateAccount(h.db, late)).id, 'health_official')).toBe(false);
    const [role] = await h.db.select().from(accountRoles).where(eq(accountRoles.accountId, officialA));
    expect(role.regionCode).toBe('44');
  });

  it('set a red code with a reason, which the holder sees', async () => {
    const p = await registeredPerson('刘备');
    const result = await setColourByOfficial(
      h.db,
      fieldKeys,
      { accountId: officialA },
      { idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'close_contact', note: '  密接 ' },
    );
    expect(result).toEqual({ ok: true });
    expect((await codeOf(p)).status).toMatchObject({ colour: 'red', reason: 'close_contact' });

    const [row] = await h.db
      .select()
      .from(statusChanges)
      .where(eq(statusChanges.idHash, idHashOf(p.idNumber)));
    expect(row).toMatchObject({ colour: 'red', reason: 'close_contact', source: 'official', setByAccountId: officialA, note: '密接' });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'status.set'), eq(auditLog.targetId, p.personId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorAccountId: officialA,
      targetType: 'person',
      details: { colour: 'red', reason: 'close_contact' },
    });

    const found = await findDocumentForOfficial(
      h.db,
      fieldKeys,
      { accountId: officialB },
      { idType: 'cn_resident', idNumber: p.idNumber },
      { reason: '核实红码' },
    );
    expect(found).toMatchObject({
      ok: true,
      person: { id: p.personId, name: '刘备', idNumber: p.idNumber },
      status: { colour: 'red', reason: 'close_contact' },
    });
    if (!found.ok || !('history' in found)) throw new Error('unreachable');
    expect(found.history).toHaveLength(1);
    const lookup = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'official.lookup'), eq(auditLog.actorAccountId, officialB)));
    expect(lookup.at(-1)).toMatchObject({ targetId: p.personId, reason: '核实红码', details: { found: true } });
  });

  it('refuse red without a known reason, other colours and invalid documents, writing nothing', async () => {
    const p = await registeredPerson();
    const ref = { idType: 'cn_resident', idNumber: p.idNumber };
    const official = { accountId: officialA };
    const before = await countRows(statusChanges);
    const auditBefore = await countRows(auditLog);
    expect(await setColourByOfficial(h.db, fieldKeys, official, { ...ref, colour: 'red' })).toEqual({
      ok: false,
      reason: 'reason_required',
    });
    expect(await setColourByOfficial(h.db, fieldKeys, official, { ...ref, colour: 'red', reason: 'flu' })).toEqual({
      ok: false,
      reason: 'reason_required',
    });
    expect(await setColourByOfficial(h.db, fieldKeys, official, { ...ref, colour: 'yellow', reason: 'close_contact' })).toEqual({
      ok: false,
      reason: 'invalid_colour',
    });
    const badDoc = await setColourByOfficial(h.db, fieldKeys, official, {
      idType: 'cn_resident',
      idNumber: p.idNumber.slice(0, 17) + (p.idNumber[17] === '0' ? '1' : '0'),
      colour: 'green',
    });
    expect(badDoc).toEqual({ ok: false, reason: 'invalid_document', errors: { idNumber: 'checksum' } });
    expect(await countRows(statusChanges)).toBe(before);
    expect(await countRows(auditLog)).toBe(auditBefore);
  });

  it('grant the role to another phone, audited', async () => {
    const phone = newPhone();
    const typed = `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    const result = await grantOfficial(h.db, { accountId: officialA }, { phone: typed, region: '440106', reason: '天河区新增' });
    expect(result).toMatchObject({ ok: true });
    const grantee = (await findOrCreateAccount(h.db, phone)).id;
    expect(await hasRole(h.db, grantee, 'health_official')).toBe(true);
    const [role] = await h.db.select().from(accountRoles).where(eq(accountRoles.accountId, grantee));
    expect(role).toMatchObject({ grantedByAccountId: officialA, regionCode: '440106' });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'role.grant'), eq(auditLog.targetId, grantee)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorAccountId: officialA,
      targetType: 'account',
      reason: '天河区新增',
      details: { role: 'health_official', region: '440106' },
    });

    // Granting again changes nothing; a bad phone is refused.
    expect(await grantOfficial(h.db, { accountId: officialA }, { phone, region: '440106', reason: '重复' })).toEqual({
      ok: false,
      reason: 'already_official',
    });
    expect(await countRows(auditLog, and(eq(auditLog.action, 'role.grant'), eq(auditLog.targetId, grantee)))).toBe(1);
    expect(await grantOfficial(h.db, { accountId: officialA }, { phone: '12345', region: '44', reason: '错误' })).toEqual({
      ok: false,
      reason: 'invalid_phone',
    });
  });

  it('setting the same person at the same time: both are recorded and one is current', async () => {
    const p = await registeredPerson();
    const idHash = idHashOf(p.idNumber);
    const ref = { idType: 'cn_resident', idNumber: p.idNumber };
    const [a, b] = await Promise.all([
      setColourByOfficial(h.db, fieldKeys, { accountId: officialA }, { ...ref, colour: 'red', reason: 'confirmed' }),
      setColourByOfficial(h.db, fieldKeys, { accountId: officialB }, { ...ref, colour: 'green' }),
    ]);
    expect(a).toEqual({ ok: true });
    expect(b).toEqual({ ok: true });
    const history = await statusHistory(h.db, idHash);
    expect(history).toHaveLength(2);
    const current = await statusAt(h.db, idHash, new Date(Date.now() + 1000));
    expect([
      { colour: 'red', reason: 'confirmed' },
      { colour: 'green', reason: null },
    ]).toContainEqual({ colour: current.colour, reason: current.reason });
    // The current one is the newest entry in the history.
    expect({ colour: history[0].colour, reason: history[0].reason }).toEqual({ colour: current.colour, reason: current.reason });
    expect((await codeOf(p)).status.colour).toBe(current.colour);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'status.set'), eq(auditLog.targetId, p.personId)))).toBe(2);
  });

  it('a status set for an unregistered document is audited against the document', async () => {
    const idNumber = newResidentId();
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: officialA },
        { idType: 'cn_resident', idNumber, colour: 'red', reason: 'home_isolation' },
      ),
    ).toEqual({ ok: true });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'status.set'), eq(auditLog.targetId, idHashOf(idNumber))));
    expect(audit).toHaveLength(1);
    expect(audit[0].targetType).toBe('document');
    expect(JSON.stringify(audit)).not.toContain(idNumber);
    const found = await findDocumentForOfficial(
      h.db,
      fieldKeys,
      { accountId: officialA },
      { idType: 'cn_resident', idNumber },
      { reason: '协查' },
    );
    expect(found).toMatchObject({ ok: true, person: null, status: { colour: 'red', reason: 'home_isolation' } });
  });
});

describe('status import', () => {
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const HOUR = 3_600_000;
  const rowsOfBatch = (batchId: string) => countRows(statusChanges, eq(statusChanges.importBatchId, batchId));

  it('accepts a good batch once and answers a resend from the first result', async () => {
    const registered = await registeredPerson();
    const unregistered = newResidentId();
    const batchId = newBatchId();
    const items = [
      { idType: 'cn_resident', idNumber: registered.idNumber, colour: 'red', reason: 'close_contact', asOf: iso(HOUR) },
      { idType: 'cn_resident', idNumber: unregistered, colour: 'red', reason: 'confirmed', asOf: iso(HOUR) },
      { idType: 'passport', idNumber: 'K7654321', nationality: 'GBR', colour: 'green', asOf: iso(HOUR) },
      { idType: 'hk_macao_permit', idNumber: 'H12345678', colour: 'red', reason: 'other_province', asOf: iso(2 * HOUR) },
    ];
    const totalBefore = await countRows(statusChanges);
    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items })).toEqual({
      status: 200,
      body: { batchId, accepted: 4, replayed: false },
    });
    expect(await rowsOfBatch(batchId)).toBe(4);
    expect((await codeOf(registered)).status).toMatchObject({ colour: 'red', reason: 'close_contact' });
    expect(await statusAt(h.db, idHashOf(unregistered), new Date())).toMatchObject({ colour: 'red', reason: 'confirmed' });
    expect(
      await statusAt(h.db, hashIdDocument(fieldKeys, { idType: 'passport', idNumber: 'K7654321', nationality: 'GBR' }), new Date()),
    ).toMatchObject({ colour: 'green' });
    expect(await statusAt(h.db, hashIdDocument(fieldKeys, { idType: 'hk_macao_permit', idNumber: 'H12345678' }), new Date())).toMatchObject(
      { colour: 'red', reason: 'other_province' },
    );

    const importAudits = () =>
      h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'status.import'), eq(auditLog.targetId, batchId)));
    expect(await importAudits()).toHaveLength(1);
    expect((await importAudits())[0]).toMatchObject({ actorAccountId: null, targetType: 'status_batch', details: { items: 4 } });

    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items })).toEqual({
      status: 200,
      body: { batchId, accepted: 4, replayed: true },
    });
    expect(await countRows(statusChanges)).toBe(totalBefore + 4);
    expect(await importAudits()).toHaveLength(1);

    const changed = [{ ...items[0], colour: 'green', reason: null }, ...items.slice(1)];
    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items: changed })).toEqual({
      status: 409,
      body: { error: 'batch_id_reused', batchId },
    });
    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items: items.slice(1) })).toMatchObject({ status: 409 });
    expect(await countRows(statusChanges)).toBe(totalBefore + 4);
    expect((await codeOf(registered)).status.colour).toBe('red');
  });

  it('refuses the whole batch when any item is bad, naming the item', async () => {
    const good = () => ({ idType: 'cn_resident', idNumber: newResidentId(), colour: 'red', reason: 'suspected', asOf: iso(HOUR) });
    const badNumber = newResidentId();
    const bad = {
      checksum: {
        idType: 'cn_resident',
        idNumber: badNumber.slice(0, 17) + (badNumber[17] === '0' ? '1' : '0'),
        colour: 'green',
        asOf: iso(HOUR),
      },
      noReason: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'red', asOf: iso(HOUR) },
      unknownReason: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'red', reason: 'flu', asOf: iso(HOUR) },
      future: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', asOf: new Date(Date.now() + HOUR).toISOString() },
      yellow: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'yellow', asOf: iso(HOUR) },
      notATime: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', asOf: 'yesterday' },
      impossibleDate: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', asOf: '2026-02-30T00:00:00Z' },
      noOffset: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', asOf: '2026-05-01T08:00:00' },
      greenWithReason: { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', reason: 'confirmed', asOf: iso(HOUR) },
      passportWithoutNationality: { idType: 'passport', idNumber: 'E1234567', colour: 'green', asOf: iso(HOUR) },
      notAnObject: 'x',
      missingFields: { idType: 'cn_resident' },
    };
    const statusBefore = await countRows(statusChanges);
    const auditBefore = await countRows(auditLog);
    let position = 0;
    for (const [label, item] of Object.entries(bad)) {
      const items = [good(), good(), good()];
      const index = position++ % 4;
      items.splice(index, 0, item as never);
      const batchId = newBatchId();
      const result = await importStatusBatch(h.db, fieldKeys, { batchId, items });
      expect(result.status, label).toBe(422);
      if (result.status !== 422) continue;
      expect(result.body.error).toBe('invalid_items');
      expect(
        result.body.items.map((i) => i.index),
        label,
      ).toEqual([index]);
      expect(result.body.items[0].errors.length, label).toBeGreaterThan(0);
      expect(await countRows(statusImportBatches, eq(statusImportBatches.batchId, batchId))).toBe(0);
      // The id is not used up: the corrected batch goes through.
      if (label === 'checksum') {
        items.splice(index, 1);
        expect(await importStatusBatch(h.db, fieldKeys, { batchId, items })).toMatchObject({
          status: 200,
          body: { accepted: 3, replayed: false },
        });
        expect(await rowsOfBatch(batchId)).toBe(3);
        expect(await countRows(statusChanges)).toBe(statusBefore + 3);
      } else {
        expect(await rowsOfBatch(batchId)).toBe(0);
      }
    }
    expect(await countRows(statusChanges)).toBe(statusBefore + 3);
    expect(await countRows(auditLog, eq(auditLog.action, 'status.import'))).toBeGreaterThan(0);
    expect(await countRows(auditLog)).toBe(auditBefore + 1);

    // An offset other than Z is accepted and means that instant.
    const offsetItem = {
      idType: 'cn_resident',
      idNumber: newResidentId(),
      colour: 'red',
      reason: 'suspected',
      asOf: '2026-05-01T08:00:00+08:00',
    };
    expect(await importStatusBatch(h.db, fieldKeys, { batchId: newBatchId(), items: [offsetItem] })).toMatchObject({ status: 200 });
    expect(await statusAt(h.db, idHashOf(offsetItem.idNumber), new Date('2026-05-01T00:00:00Z'))).toMatchObject({ colour: 'red' });
    expect(await statusAt(h.db, idHashOf(offsetItem.idNumber), new Date('2026-04-30T23:59:59Z'))).toMatchObject({ colour: 'green' });

    // Several bad items are all listed.
    const many = await importStatusBatch(h.db, fieldKeys, { batchId: newBatchId(), items: [bad.yellow, good(), bad.noReason, bad.future] });
    expect(many).toMatchObject({ status: 422 });
    if (many.status === 422) expect(many.body.items.map((i) => i.index)).toEqual([0, 2, 3]);
  });

  it('refuses a malformed envelope with 400', async () => {
    const item = { idType: 'cn_resident', idNumber: newResidentId(), colour: 'green', asOf: iso(HOUR) };
    for (const body of [
      null,
      [],
      {},
      { items: [item] },
      { batchId: '', items: [item] },
      { batchId: 'has space', items: [item] },
      { batchId: newBatchId(), items: [] },
      { batchId: newBatchId(), items: {} },
    ]) {
      expect(await importStatusBatch(h.db, fieldKeys, body), JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: 'invalid_batch' },
      });
    }
    const tooMany = Array.from({ length: MAX_IMPORT_ITEMS + 1 }, () => item);
    expect(await importStatusBatch(h.db, fieldKeys, { batchId: newBatchId(), items: tooMany })).toMatchObject({ status: 400 });
  });

  it('applies a status sent before the person registers', async () => {
    const idNumber = newResidentId('F');
    const batchId = newBatchId();
    expect(
      await importStatusBatch(h.db, fieldKeys, {
        batchId,
        items: [{ idType: 'cn_resident', idNumber, colour: 'red', reason: 'centralised_isolation', asOf: iso(HOUR) }],
      }),
    ).toMatchObject({ status: 200 });
    expect(await countRows(persons)).toBeGreaterThan(0);
    const p = await registeredPerson('黄月英', idNumber);
    expect((await codeOf(p)).status).toMatchObject({ colour: 'red', reason: 'centralised_isolation' });
  });

  it('treats an item older than the current status as history', async () => {
    const p = await registeredPerson();
    const idHash = idHashOf(p.idNumber);
    const t = Date.now();
    const greenAt = new Date(t - HOUR);
    const redAt = new Date(t - 3 * HOUR);
    expect(
      await importStatusBatch(h.db, fieldKeys, {
        batchId: newBatchId(),
        items: [{ idType: 'cn_resident', idNumber: p.idNumber, colour: 'green', asOf: greenAt.toISOString() }],
      }),
    ).toMatchObject({ status: 200 });
    expect(
      await importStatusBatch(h.db, fieldKeys, {
        batchId: newBatchId(),
        items: [{ idType: 'cn_resident', idNumber: p.idNumber, colour: 'red', reason: 'confirmed', asOf: redAt.toISOString() }],
      }),
    ).toMatchObject({ status: 200 });
    expect((await codeOf(p)).status).toEqual({ colour: 'green', reason: null, since: greenAt });
    expect(await statusAt(h.db, idHash, new Date(t - 2 * HOUR))).toEqual({ colour: 'red', reason: 'confirmed', since: redAt });
    expect(await statusAt(h.db, idHash, new Date(t - 4 * HOUR))).toEqual({ colour: 'green', reason: null, since: null });
    expect(await statusHistory(h.db, idHash)).toHaveLength(2);
  });

  it('takes 10,000 items in one batch', async () => {
    const items: { idType: string; idNumber: string; colour: string; reason?: string; asOf: string }[] = [];
    const asOf = iso(HOUR);
    const seen = new Set<string>();
    for (let d = 0; d < 100; d++) {
      const birthDate = new Date(Date.UTC(2001, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (let s = 0; s < 100; s++) {
        const idNumber = makeResidentIdNumber({ birthDate, sequence: s, gender: s % 2 ? 'M' : 'F', region: '440305' });
        seen.add(idNumber);
        items.push(
          s % 3 === 0
            ? { idType: 'cn_resident', idNumber, colour: 'red', reason: 'home_isolation', asOf }
            : { idType: 'cn_resident', idNumber, colour: 'green', asOf },
        );
      }
    }
    expect(seen.size).toBe(MAX_IMPORT_ITEMS);
    // One of them is someone registered.
    const p = await registeredPerson('诸葛亮', items[0].idNumber);
    const batchId = newBatchId();
    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items })).toEqual({
      status: 200,
      body: { batchId, accepted: MAX_IMPORT_ITEMS, replayed: false },
    });
    expect(await rowsOfBatch(batchId)).toBe(MAX_IMPORT_ITEMS);
    expect(await countRows(statusChanges, and(eq(statusChanges.importBatchId, batchId), eq(statusChanges.colour, 'red')))).toBe(34 * 100);
    expect((await codeOf(p)).status).toMatchObject({ colour: 'red', reason: 'home_isolation' });
    expect(await importStatusBatch(h.db, fieldKeys, { batchId, items })).toEqual({
      status: 200,
      body: { batchId, accepted: MAX_IMPORT_ITEMS, replayed: true },
    });
    expect(await rowsOfBatch(batchId)).toBe(MAX_IMPORT_ITEMS);
  }, 60_000);
});

describe('audit trail', () => {
  it('records registration, linking, official changes and imports, never with a clear ID or name', async () => {
    const name = '司马懿';
    const idNumber = newResidentId();
    const self = await registeredPerson(name, idNumber);
    const guardian = await newAccount();
    const linked = await registerPerson(
      h.db,
      { keys: fieldKeys, verifier: devIdentityVerifier },
      { accountId: guardian },
      { idType: 'cn_resident', idNumber, name, relation: 'family' },
    );
    // A registered document: a request the person's own account accepts (SPEC L1).
    if (linked.ok || !('requestId' in linked)) throw new Error(JSON.stringify(linked));
    expect(
      await answerLinkRequest(h.db, { accountId: self.accountId }, { requestId: linked.requestId, answer: 'accept' }, new Date()),
    ).toMatchObject({ ok: true });
    await setColourByOfficial(
      h.db,
      fieldKeys,
      { accountId: officialA },
      { idType: 'cn_resident', idNumber, colour: 'red', reason: 'suspected' },
    );
    const batchId = newBatchId();
    await importStatusBatch(h.db, fieldKeys, {
      batchId,
      items: [{ idType: 'cn_resident', idNumber, colour: 'green', asOf: new Date().toISOString() }],
    });
    await findDocumentForOfficial(h.db, fieldKeys, { accountId: officialA }, { idType: 'cn_resident', idNumber }, { reason: '协查' });

    const rows = await h.db.select().from(auditLog);
    const about = (action: string, targetId: string) => rows.filter((r) => r.action === action && r.targetId === targetId);
    expect(about('person.register', self.personId)).toMatchObject([
      { actorAccountId: self.accountId, targetType: 'person', details: { relation: 'self', idType: 'cn_resident' } },
    ]);
    expect(about('person.link', self.personId)).toMatchObject([{ actorAccountId: guardian, details: { relation: 'family' } }]);
    expect(about('status.set', self.personId)).toMatchObject([
      { actorAccountId: officialA, details: { colour: 'red', reason: 'suspected' } },
    ]);
    expect(about('status.import', batchId)).toMatchObject([{ actorAccountId: null, details: { items: 1 } }]);
    expect(about('official.lookup', self.personId)).toHaveLength(1);

    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(idNumber);
    expect(dump).not.toContain(name);
  });
});
