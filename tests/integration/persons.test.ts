import { and, count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { auditLog, codeDisplays, guardianships, persons } from '@/db/schema';
import { getCodeForAccount, listCodeDisplays, recordCodeDisplay, reissueCodes } from '@/lib/health-code/personal-codes';
import { checkShortCode } from '@/lib/health-code/short-code';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { stopGuarding } from '@/lib/identity/family';
import { answerLinkRequest } from '@/lib/identity/link-requests';
import { decryptField } from '@/lib/identity/field-crypto';
import { makeResidentIdNumber } from '@/lib/identity/id-documents';
import { maskIdNumber } from '@/lib/identity/mask';
import { registerPerson, type RegisterInput } from '@/lib/identity/register-person';
import { devIdentityVerifier, type IdentityVerifier } from '@/lib/identity/verifier';
import { createFixtures } from '../helpers/fixtures';

// A fresh valid resident ID each call: a different birth date and sequence every time.
const { h, fieldKeys, codeDeps, newAccount, newResidentId } = createFixtures({
  phone: { prefix: '139', base: 1_000_000, step: 53 },
  ids: { fromYear: 1950, stepDays: 7 },
  fieldKeys: { encryptionKey: Buffer.alloc(32, 7), hashKey: Buffer.alloc(32, 9) },
  codeKeys: codeKeysFromSeed(Buffer.alloc(32, 5).toString('base64')),
});

const fakeVerifier = (verdict: 'match' | 'mismatch' | 'unavailable') => {
  const calls: { idType: string; idNumber: string; name: string }[] = [];
  const verifier: IdentityVerifier & { calls: typeof calls } = {
    calls,
    async verify(doc) {
      calls.push(doc);
      return verdict;
    },
  };
  return verifier;
};

function register(accountId: string, input: RegisterInput, verifier: IdentityVerifier = devIdentityVerifier) {
  return registerPerson(h.db, { keys: fieldKeys, verifier }, { accountId }, input);
}
const resident = (idNumber: string, name: string, relation: 'self' | 'family'): RegisterInput => ({
  idType: 'cn_resident',
  idNumber,
  name,
  relation,
});

async function countRows(table: PgTable, where?: SQL) {
  const [row] = await h.db.select({ n: count() }).from(table).where(where);
  return Number(row.n);
}
const personRow = async (id: string) => (await h.db.select().from(persons).where(eq(persons.id, id)))[0];
const guardiansOf = async (personId: string) =>
  (await h.db.select({ a: guardianships.accountId }).from(guardianships).where(eq(guardianships.personId, personId)))
    .map((r) => r.a)
    .sort();

/** A registered document: the request is made, nothing linked yet. */
function requestIdOf(result: Awaited<ReturnType<typeof registerPerson>>): string {
  if (result.ok || !('requestId' in result)) throw new Error(`no link request: ${JSON.stringify(result)}`);
  return result.requestId;
}
/** Asks to link a registered document and has `answerer` (the person's own account or a guardian) accept. */
async function linkWithConsent(
  requester: string,
  input: RegisterInput,
  answerer: string,
  verifier: IdentityVerifier = devIdentityVerifier,
) {
  const requestId = requestIdOf(await register(requester, input, verifier));
  expect(await answerLinkRequest(h.db, { accountId: answerer }, { requestId, answer: 'accept' }, new Date())).toEqual({
    ok: true,
    outcome: 'accepted',
  });
}

function personIdOf(result: Awaited<ReturnType<typeof registerPerson>>): string {
  if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return result.personId;
}

describe('registering oneself', () => {
  it('stores a valid mainland ID encrypted, with masked forms and gender/birth date read from the number', async () => {
    const acc = await newAccount();
    const idNumber = makeResidentIdNumber({ birthDate: '1990-05-17', sequence: 12, gender: 'F' });
    const name = '欧阳娜娜';
    // Gender and birth date sent by the form are ignored for resident IDs.
    const result = await register(acc, { ...resident(idNumber, name, 'self'), gender: 'M', birthDate: '2001-01-01' });
    expect(result).toMatchObject({ ok: true, linked: false });
    const row = await personRow(personIdOf(result));

    const dump = JSON.stringify(row);
    expect(dump).not.toContain(idNumber);
    expect(dump).not.toContain(idNumber.slice(0, 17));
    expect(dump).not.toContain(idNumber.slice(6, 14)); // the birth-date digits in their ID form
    expect(dump).not.toContain(name);
    expect(dump).not.toContain(name.slice(1));

    expect(row.idNumberMasked).toBe(maskIdNumber(idNumber));
    expect(row.idNumberMasked).toMatch(/^4401\*{10}\d{3}[\dX]$/);
    expect(row.nameMasked).toBe('欧***');
    expect(row.gender).toBe('F');
    expect(row.birthDate).toBe('1990-05-17');
    expect(row.idType).toBe('cn_resident');
    expect(row.selfAccountId).toBe(acc);
    expect(row.codeGeneration).toBe(1);
    expect(checkShortCode(row.shortCode).ok).toBe(true);
    expect(decryptField(fieldKeys, row.nameEnc)).toBe(name);
    expect(decryptField(fieldKeys, row.idNumberEnc)).toBe(idNumber);
    expect(await guardiansOf(row.id)).toEqual([]);

    // The audit row names the person, not the document.
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.register'), eq(auditLog.targetId, row.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorAccountId).toBe(acc);
    expect(JSON.stringify(audit)).not.toContain(idNumber);
    expect(JSON.stringify(audit)).not.toContain(name);

    const code = await getCodeForAccount(h.db, codeDeps, { accountId: acc }, row.id, 'personal');
    expect(code).toMatchObject({
      personId: row.id,
      relation: 'self',
      name,
      nameMasked: '欧***',
      gender: 'F',
      birthDate: '1990-05-17',
      status: { colour: 'green' },
    });
  });

  it('normalises the typed number (spaces, lower-case x) to the same document', async () => {
    let idNumber = '';
    for (let s = 0; s < 100 && !idNumber.endsWith('X'); s++)
      idNumber = makeResidentIdNumber({ birthDate: '1988-08-08', sequence: s, gender: 'M' });
    expect(idNumber.endsWith('X')).toBe(true);
    const a = await newAccount();
    const b = await newAccount();
    const typed = `${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14).toLowerCase()}`;
    const first = await register(a, resident(typed, '李四', 'self'));
    expect(first).toMatchObject({ ok: true, linked: false });
    expect(decryptField(fieldKeys, (await personRow(personIdOf(first))).idNumberEnc)).toBe(idNumber);
    // The same document (a registered one): a link request, not a new person.
    expect(await register(b, resident(idNumber, '李四', 'family'))).toEqual({
      ok: false,
      reason: 'link_requested',
      requestId: expect.any(String),
    });
    expect(await countRows(persons, eq(persons.idHash, (await personRow(personIdOf(first))).idHash))).toBe(1);
  });

  it('refuses a wrong check digit, storing nothing', async () => {
    const acc = await newAccount();
    const good = newResidentId();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const before = await countRows(persons);
    const auditBefore = await countRows(auditLog);
    const result = await register(acc, resident(wrongCheck, '王五', 'self'));
    expect(result).toMatchObject({ ok: false, errors: { idNumber: 'checksum' } });
    expect(await countRows(persons)).toBe(before);
    expect(await countRows(auditLog)).toBe(auditBefore);
  });

  it('refuses an unknown document type and an invalid name', async () => {
    const acc = await newAccount();
    expect(await register(acc, { idType: 'driving_licence', idNumber: newResidentId(), name: '王五', relation: 'self' })).toEqual({
      ok: false,
      errors: { idType: 'unknown_type' },
    });
    expect(await register(acc, resident(newResidentId(), '王5', 'self'))).toEqual({ ok: false, errors: { name: 'format' } });
    expect(await register(acc, resident(newResidentId(), '', 'self'))).toEqual({ ok: false, errors: { name: 'required' } });
    expect(await countRows(persons, eq(persons.selfAccountId, acc))).toBe(0);
  });

  it('normalises a passport name before storing it', async () => {
    const acc = await newAccount();
    const result = await register(acc, {
      idType: 'passport',
      idNumber: 'e1234567',
      nationality: 'usa',
      gender: 'm',
      birthDate: '1985-03-02',
      name: 'zhang-san ',
      relation: 'self',
    });
    const row = await personRow(personIdOf(result));
    expect(decryptField(fieldKeys, row.nameEnc)).toBe('ZHANG SAN');
    expect(decryptField(fieldKeys, row.idNumberEnc)).toBe('E1234567');
    expect(row.nameMasked).toBe('Z**** ***');
    expect(row.nationality).toBe('USA');
    expect(row.gender).toBe('M');
    expect(row.birthDate).toBe('1985-03-02');
    expect(JSON.stringify(row)).not.toContain('E1234567');
    expect(JSON.stringify(row)).not.toContain('ZHANG');

    // The same passport number from another country is another person.
    const other = await newAccount();
    const gbr = await register(other, {
      idType: 'passport',
      idNumber: 'E1234567',
      nationality: 'GBR',
      gender: 'F',
      birthDate: '1990-01-01',
      name: 'Smith Jane',
      relation: 'self',
    });
    expect(gbr).toMatchObject({ ok: true, linked: false });
    expect(personIdOf(gbr)).not.toBe(row.id);
    // Surname/given-name order may be swapped when linking a passport holder.
    const guardian = await newAccount();
    expect(
      await register(guardian, {
        idType: 'passport',
        idNumber: 'E1234567',
        nationality: 'USA',
        gender: 'M',
        birthDate: '1985-03-02',
        name: 'San Zhang',
        relation: 'family',
      }),
    ).toEqual({ ok: false, reason: 'link_requested', requestId: expect.any(String) });
  });

  it('refuses a second self for the same account', async () => {
    const acc = await newAccount();
    const first = newResidentId();
    personIdOf(await register(acc, resident(first, '赵六', 'self')));
    const before = await countRows(persons);
    expect(await register(acc, resident(newResidentId(), '赵七', 'self'))).toEqual({ ok: false, reason: 'already_has_self' });
    expect(await register(acc, resident(first, '赵六', 'self'))).toEqual({ ok: false, reason: 'already_has_self' });
    expect(await countRows(persons)).toBe(before);
  });

  it('refuses a document that is already someone else’s self', async () => {
    const owner = await newAccount();
    const intruder = await newAccount();
    const idNumber = newResidentId();
    const personId = personIdOf(await register(owner, resident(idNumber, '钱八', 'self')));
    const auditBefore = await countRows(auditLog);
    expect(await register(intruder, resident(idNumber, '钱八', 'self'))).toEqual({ ok: false, reason: 'person_has_self' });
    expect((await personRow(personId)).selfAccountId).toBe(owner);
    expect(await countRows(persons, eq(persons.selfAccountId, intruder))).toBe(0);
    expect(await countRows(auditLog)).toBe(auditBefore);
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: intruder }, personId, 'personal')).toBeNull();
  });
});

describe('family members', () => {
  it('a second parent who gives the same name asks, and is linked once the first parent accepts; a wrong name is refused', async () => {
    const parentA = await newAccount();
    const parentB = await newAccount();
    const parentC = await newAccount();
    const stranger = await newAccount();
    const childId = newResidentId('F');
    const added = await register(parentA, resident(childId, '张小明', 'family'));
    expect(added).toMatchObject({ ok: true, linked: false });
    const childPersonId = personIdOf(added);
    expect((await personRow(childPersonId)).selfAccountId).toBeNull();
    expect(await guardiansOf(childPersonId)).toEqual([parentA]);

    // A registered document goes through the verifier too (same call as an unregistered one).
    const verifier = fakeVerifier('match');
    await linkWithConsent(parentB, resident(childId, '张小明', 'family'), parentA, verifier);
    expect(verifier.calls).toHaveLength(1);
    // Stray spaces in a Chinese name are not a different name; any guardian may accept.
    await linkWithConsent(parentC, resident(childId, '张 小明', 'family'), parentB);
    expect(await guardiansOf(childPersonId)).toEqual([parentA, parentB, parentC].sort());

    for (const acc of [parentA, parentB, parentC]) {
      expect(await getCodeForAccount(h.db, codeDeps, { accountId: acc }, childPersonId, 'personal')).toMatchObject({
        personId: childPersonId,
        relation: 'family',
        name: '张小明',
      });
    }

    const personsBefore = await countRows(persons);
    // A wrong name answers exactly as for an unregistered document.
    expect(await register(stranger, resident(childId, '张小红', 'family'))).toEqual({ ok: false, reason: 'verification_failed' });
    expect(await countRows(guardianships, eq(guardianships.accountId, stranger))).toBe(0);
    expect(await guardiansOf(childPersonId)).toEqual([parentA, parentB, parentC].sort());
    expect(await countRows(persons)).toBe(personsBefore);
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: stranger }, childPersonId, 'personal')).toBeNull();
    // The mismatch must not become a linking path as self either.
    expect(await register(stranger, resident(childId, '张小红', 'self'))).toEqual({ ok: false, reason: 'verification_failed' });
    const failed = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.link_failed'), eq(auditLog.actorAccountId, stranger)));
    expect(failed).toHaveLength(2);
    expect(JSON.stringify(failed)).not.toContain(childId);
    expect(JSON.stringify(failed)).not.toContain('张小');

    const links = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.link'), eq(auditLog.targetId, childPersonId)));
    expect(links.map((l) => l.actorAccountId).sort()).toEqual([parentB, parentC].sort());
  });

  it('refuses adding the same family member twice', async () => {
    const parent = await newAccount();
    const childId = newResidentId();
    const personId = personIdOf(await register(parent, resident(childId, '孙小美', 'family')));
    const auditBefore = await countRows(auditLog);
    expect(await register(parent, resident(childId, '孙小美', 'family'))).toEqual({ ok: false, reason: 'already_guarding' });
    expect(await guardiansOf(personId)).toEqual([parent]);
    expect(await countRows(auditLog)).toBe(auditBefore);
  });

  it('refuses adding one’s own self person as family', async () => {
    const acc = await newAccount();
    const idNumber = newResidentId();
    const personId = personIdOf(await register(acc, resident(idNumber, '周九', 'self')));
    expect(await register(acc, resident(idNumber, '周九', 'family'))).toEqual({ ok: false, reason: 'is_self' });
    expect(await guardiansOf(personId)).toEqual([]);
  });

  it('a grandmother who signs up after her son added her asks him; once he accepts she is her own account and he still guards her', async () => {
    const son = await newAccount();
    const grandma = await newAccount();
    const idNumber = makeResidentIdNumber({ birthDate: '1942-11-03', sequence: 7, gender: 'F' });
    const personId = personIdOf(await register(son, resident(idNumber, '陈桂英', 'family')));

    expect(await register(grandma, resident(idNumber, '陈桂兰', 'self'))).toEqual({ ok: false, reason: 'verification_failed' });
    expect((await personRow(personId)).selfAccountId).toBeNull();

    const verifier = fakeVerifier('match');
    const requestId = requestIdOf(await register(grandma, resident(idNumber, '陈桂英', 'self'), verifier));
    expect(verifier.calls).toHaveLength(1);
    // Until the son accepts, nothing of her is grandma's.
    expect((await personRow(personId)).selfAccountId).toBeNull();
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: grandma }, personId, 'personal')).toBeNull();
    expect(await answerLinkRequest(h.db, { accountId: son }, { requestId, answer: 'accept' }, new Date())).toMatchObject({ ok: true });
    expect((await personRow(personId)).selfAccountId).toBe(grandma);
    expect(await guardiansOf(personId)).toEqual([son]);
    expect(await countRows(persons, eq(persons.id, personId))).toBe(1);

    expect(await getCodeForAccount(h.db, codeDeps, { accountId: grandma }, personId, 'personal')).toMatchObject({
      relation: 'self',
      name: '陈桂英',
    });
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: son }, personId, 'personal')).toMatchObject({
      relation: 'family',
      name: '陈桂英',
    });
    // Grandma cannot now add herself as family, and the son cannot take her as his self.
    expect(await register(grandma, resident(idNumber, '陈桂英', 'family'))).toEqual({ ok: false, reason: 'is_self' });
    expect(await register(son, resident(idNumber, '陈桂英', 'self'))).toEqual({ ok: false, reason: 'person_has_self' });

    const link = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.link'), eq(auditLog.targetId, personId)));
    expect(link).toHaveLength(1);
    expect(link[0]).toMatchObject({ actorAccountId: grandma, details: { relation: 'self', consentBy: son } });
  });
});

describe('real-name verification', () => {
  it('refuses a mismatch and reports an unavailable verifier, storing nothing', async () => {
    const acc = await newAccount();
    const idNumber = newResidentId();
    const personsBefore = await countRows(persons);
    const auditBefore = await countRows(auditLog);

    const mismatch = fakeVerifier('mismatch');
    expect(await register(acc, resident(idNumber, '吴十', 'self'), mismatch)).toEqual({ ok: false, reason: 'verification_failed' });
    expect(mismatch.calls).toEqual([{ idType: 'cn_resident', idNumber, name: '吴十' }]);

    const unavailable = fakeVerifier('unavailable');
    expect(await register(acc, resident(idNumber, '吴十', 'family'), unavailable)).toEqual({ ok: false, reason: 'verifier_unavailable' });
    expect(unavailable.calls).toHaveLength(1);

    expect(await countRows(persons)).toBe(personsBefore);
    expect(await countRows(guardianships, eq(guardianships.accountId, acc))).toBe(0);
    // Only the failed check is audited (an unavailable verifier is not the requester's failure).
    expect(await countRows(auditLog)).toBe(auditBefore + 1);
    expect(await countRows(auditLog, and(eq(auditLog.action, 'person.link_failed'), eq(auditLog.actorAccountId, acc)))).toBe(1);

    // A later successful check registers normally.
    expect(await register(acc, resident(idNumber, '吴十', 'self'), fakeVerifier('match'))).toMatchObject({ ok: true, linked: false });
  });

  it('does not consult the verifier for invalid input', async () => {
    const verifier = fakeVerifier('match');
    await register(await newAccount(), resident('440106199001011230', '吴十', 'self'), verifier);
    expect(verifier.calls).toHaveLength(0);
  });
});

describe('who may see and manage a person', () => {
  it('refuses an unrelated account everything', async () => {
    const owner = await newAccount();
    const guardian = await newAccount();
    const stranger = await newAccount();
    const idNumber = newResidentId();
    const personId = personIdOf(await register(owner, resident(idNumber, '郑十一', 'self')));
    await linkWithConsent(guardian, resident(idNumber, '郑十一', 'family'), owner);
    const actor = { accountId: stranger };

    expect(await getCodeForAccount(h.db, codeDeps, actor, personId, 'personal')).toBeNull();
    expect(await getCodeForAccount(h.db, codeDeps, actor, personId, 'offline')).toBeNull();

    expect(await recordCodeDisplay(h.db, actor, personId, 'personal')).toEqual({ ok: false });
    expect(await countRows(codeDisplays, eq(codeDisplays.personId, personId))).toBe(0);

    expect(await listCodeDisplays(h.db, actor, personId)).toBeNull();

    const generation = (await personRow(personId)).codeGeneration;
    const shortCode = (await personRow(personId)).shortCode;
    expect(await reissueCodes(h.db, actor, personId)).toEqual({ ok: false, reason: 'not_found' });
    // The guardian of a person with an account of their own is refused too: the person re-issues their own.
    expect(await reissueCodes(h.db, { accountId: guardian }, personId)).toEqual({ ok: false, reason: 'self_only' });
    expect((await personRow(personId)).codeGeneration).toBe(generation);
    expect((await personRow(personId)).shortCode).toBe(shortCode);

    const auditBefore = await countRows(auditLog);
    expect(await stopGuarding(h.db, actor, personId)).toEqual({ ok: false });
    // The self account does not guard itself either: nothing to stop.
    expect(await stopGuarding(h.db, { accountId: owner }, personId)).toEqual({ ok: false });
    expect(await guardiansOf(personId)).toEqual([guardian]);
    expect(await countRows(auditLog)).toBe(auditBefore);

    // An unknown person id is the same answer as someone else's.
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: owner }, ghost, 'personal')).toBeNull();
    expect(await recordCodeDisplay(h.db, { accountId: owner }, ghost, 'personal')).toEqual({ ok: false });
  });

  it('stopGuarding removes only the caller’s guardianship', async () => {
    const mum = await newAccount();
    const dad = await newAccount();
    const idNumber = newResidentId();
    const personId = personIdOf(await register(mum, resident(idNumber, '冯小宝', 'family')));
    await linkWithConsent(dad, resident(idNumber, '冯小宝', 'family'), mum);

    expect(await stopGuarding(h.db, { accountId: mum }, personId)).toEqual({ ok: true });
    expect(await guardiansOf(personId)).toEqual([dad]);
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: mum }, personId, 'personal')).toBeNull();
    expect(await recordCodeDisplay(h.db, { accountId: mum }, personId, 'personal')).toEqual({ ok: false });
    expect(await reissueCodes(h.db, { accountId: mum }, personId)).toEqual({ ok: false, reason: 'not_found' });
    expect(await getCodeForAccount(h.db, codeDeps, { accountId: dad }, personId, 'personal')).toMatchObject({
      personId,
      relation: 'family',
    });
    expect(await stopGuarding(h.db, { accountId: mum }, personId)).toEqual({ ok: false });

    const removals = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'guardianship.remove'), eq(auditLog.targetId, personId)));
    expect(removals.map((r) => r.actorAccountId)).toEqual([mum]);
    // The person stays (the other guardian still needs them); mum can add them again.
    expect(await countRows(persons, eq(persons.id, personId))).toBe(1);
    await linkWithConsent(mum, resident(idNumber, '冯小宝', 'family'), dad);
    expect(await guardiansOf(personId)).toEqual([mum, dad].sort());
  });
});

describe('the display log', () => {
  it('lists displays of the last three days to the person and guardians only', async () => {
    const owner = await newAccount();
    const guardian = await newAccount();
    const idNumber = newResidentId();
    const personId = personIdOf(await register(owner, resident(idNumber, '褚十二', 'self')));
    await linkWithConsent(guardian, resident(idNumber, '褚十二', 'family'), owner);
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

    expect(await recordCodeDisplay(h.db, { accountId: owner }, personId, 'personal', now)).toEqual({ ok: true });
    expect(await recordCodeDisplay(h.db, { accountId: guardian }, personId, 'offline', daysAgo(2))).toEqual({ ok: true });
    expect(await recordCodeDisplay(h.db, { accountId: owner }, personId, 'personal', daysAgo(4))).toEqual({ ok: true });
    expect(await countRows(codeDisplays, eq(codeDisplays.personId, personId))).toBe(3);

    for (const acc of [owner, guardian]) {
      const list = await listCodeDisplays(h.db, { accountId: acc }, personId, now);
      expect(list).toEqual([
        { kind: 'personal', displayedAt: now },
        { kind: 'offline', displayedAt: daysAgo(2) },
      ]);
    }
    // The window moves with `now`: a day later both remain, two days later the 2-day-old one has dropped out.
    expect(await listCodeDisplays(h.db, { accountId: owner }, personId, new Date(now.getTime() + 86_400_000))).toHaveLength(2);
    expect(await listCodeDisplays(h.db, { accountId: owner }, personId, new Date(now.getTime() + 2 * 86_400_000))).toHaveLength(1);
  });
});
