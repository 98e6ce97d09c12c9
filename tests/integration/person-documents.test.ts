// H4 and the FAQ (港澳、台湾同胞…分别输入证件号码和签发次数; 如入境后更换过护照…使用旧的护照号): the Taiwan permit
// takes its 2-digit issue count like the HK/Macao permit; a renewed passport adds its number to the same
// person, the old number still finds them everywhere a document is typed, and colours follow the person.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { statusAt } from '@/db/queries/health-status';
import { erasePerson } from '@/db/queries/account-lifecycle';
import { findPersonByIdHash, removeGuardianship } from '@/db/queries/persons';
import { grantRole } from '@/db/queries/roles';
import { auditLog, personDocuments, persons, statusChanges } from '@/db/schema';
import { findDocumentForOfficial } from '@/lib/health-code/officials';
import { importStatusBatch } from '@/lib/health-code/status-import';
import { addRenewedPassport, RENEWAL_FAILURES_PER_HOUR } from '@/lib/identity/documents';
import { hashIdDocument } from '@/lib/identity/field-crypto';
import { validateIdDocument } from '@/lib/identity/id-documents';
import { answerLinkRequest } from '@/lib/identity/link-requests';
import { registerPerson } from '@/lib/identity/register-person';
import { devIdentityVerifier, type IdentityVerifier } from '@/lib/identity/verifier';
import { createFixtures, type Actor } from '../helpers/fixtures';

const { h, fieldKeys, newActor } = createFixtures({
  phone: { prefix: '136', base: 7_700_000, step: 41 },
  ids: { fromYear: 1961, stepDays: 11 },
  fieldKeys: { encryptionKey: Buffer.alloc(32, 17), hashKey: Buffer.alloc(32, 19) },
});
const deps = { keys: fieldKeys, verifier: devIdentityVerifier };
const mismatch: IdentityVerifier = { verify: async () => 'mismatch' };
const NAME = 'SMITH JOHN';
let passportSeq = 0;
const newPassportNumber = () => `E${String(71_000_000 + (passportSeq += 1)).padStart(8, '0')}`;
const hashOf = (idNumber: string, nationality = 'GBR') => hashIdDocument(fieldKeys, { idType: 'passport', idNumber, nationality });

async function passportHolder(relation: 'self' | 'family' = 'self') {
  const owner = await newActor();
  const idNumber = newPassportNumber();
  const r = await registerPerson(h.db, deps, owner, {
    idType: 'passport',
    idNumber,
    nationality: 'GBR',
    gender: 'M',
    birthDate: '1980-04-02',
    name: NAME,
    relation,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { owner, personId: r.personId, idNumber };
}
const renew = (actor: Actor, personId: string, idNumber: string, nationality = 'GBR', verifier = devIdentityVerifier, now = new Date()) =>
  addRenewedPassport(h.db, { keys: fieldKeys, verifier }, actor, { personId, idNumber, nationality }, now);
const personKey = async (personId: string) => (await h.db.select().from(persons).where(eq(persons.id, personId)))[0];

describe('permit issue counts', () => {
  it('the Taiwan permit needs its 2-digit issue count, which is not part of the document', () => {
    const base = { idType: 'taiwan_permit', idNumber: '12345678', gender: 'F', birthDate: '1990-01-02' };
    expect(validateIdDocument(base)).toEqual({ ok: false, errors: { issueCount: 'required' } });
    expect(validateIdDocument({ ...base, issueCount: '3' })).toEqual({ ok: false, errors: { issueCount: 'format' } });
    const first = validateIdDocument({ ...base, issueCount: '01' });
    const second = validateIdDocument({ ...base, issueCount: '02' });
    if (!first.ok || !second.ok) throw new Error('valid permits refused');
    expect(first.doc.issueCount).toBe('01');
    // A re-issued permit (a new count) is the same document, so the same person.
    expect(hashIdDocument(fieldKeys, first.doc)).toBe(hashIdDocument(fieldKeys, second.doc));
  });
});

describe('a renewed passport', () => {
  let official: Actor;
  beforeAll(async () => {
    official = await newActor();
    await grantRole(h.db, official.accountId, 'health_official', null, '44');
  });

  it('adds the new number to the same person; the old number still finds them; the new one is shown', async () => {
    const p = await passportHolder();
    const before = await personKey(p.personId);
    const renewed = newPassportNumber();
    expect(await renew(p.owner, p.personId, renewed)).toEqual({ ok: true });

    const after = await personKey(p.personId);
    expect(after.idHash).toBe(before.idHash); // the key never moves
    expect(after.idNumberMasked).not.toBe(before.idNumberMasked);
    expect((await findPersonByIdHash(h.db, hashOf(p.idNumber)))?.id).toBe(p.personId);
    expect((await findPersonByIdHash(h.db, hashOf(renewed)))?.id).toBe(p.personId);
    const docs = await h.db.select().from(personDocuments).where(eq(personDocuments.personId, p.personId));
    expect(docs.map((d) => d.idHash).sort()).toEqual([hashOf(p.idNumber), hashOf(renewed)].sort());

    // Registering either number again is a link request to this person, never a second person.
    for (const n of [p.idNumber, renewed]) {
      const other = await newActor();
      const r = await registerPerson(h.db, deps, other, {
        idType: 'passport',
        idNumber: n,
        nationality: 'GBR',
        gender: 'M',
        birthDate: '1980-04-02',
        name: NAME,
        relation: 'family',
      });
      expect(r).toMatchObject({ ok: false, reason: 'link_requested' });
    }
    // An official looks up by the old number and sees the number in use, and the earlier one masked.
    const found = await findDocumentForOfficial(
      h.db,
      fieldKeys,
      official,
      { idType: 'passport', idNumber: p.idNumber, nationality: 'GBR' },
      {
        reason: '核对换发护照',
        caseId: null,
      },
    );
    if (!found.ok || !found.person) throw new Error(JSON.stringify(found));
    expect(found.person.id).toBe(p.personId);
    expect(found.person.idNumber).toBe(renewed);
    expect(found.documents).toHaveLength(2);
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'person.document_added'))
      .orderBy(sql`at desc`)
      .limit(1);
    expect(audit).toMatchObject({ actorAccountId: p.owner.accountId, targetId: p.personId });
    expect(JSON.stringify(audit.details)).not.toContain(renewed);
  });

  it('colours reported on any of the numbers are the person’s, before and after the renewal', async () => {
    const p = await passportHolder();
    const renewed = newPassportNumber();
    const t0 = new Date(Date.now() - 60 * 60_000);
    // The authority reports the new number red before the person adds it.
    const red = await importStatusBatch(h.db, fieldKeys, {
      batchId: `renew-red-${renewed}`,
      items: [
        { idType: 'passport', idNumber: renewed, nationality: 'GBR', colour: 'red', reason: 'home_isolation', asOf: t0.toISOString() },
      ],
    });
    expect(red.status).toBe(200);
    const key = (await personKey(p.personId)).idHash;
    expect((await statusAt(h.db, key, new Date())).colour).toBe('green');
    expect(await renew(p.owner, p.personId, renewed)).toEqual({ ok: true });
    expect(await statusAt(h.db, key, new Date())).toMatchObject({ colour: 'red', reason: 'home_isolation' });

    // After it, a report on the old number is filed under the person too.
    const green = await importStatusBatch(h.db, fieldKeys, {
      batchId: `renew-green-${renewed}`,
      items: [
        {
          idType: 'passport',
          idNumber: p.idNumber,
          nationality: 'GBR',
          colour: 'green',
          asOf: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    });
    expect(green.status).toBe(200);
    expect((await statusAt(h.db, key, new Date())).colour).toBe('green');
  });

  it('refuses a stranger, a non-passport, a number already someone’s, the same number, bad input and a wrong name', async () => {
    const p = await passportHolder();
    const q = await passportHolder();
    const stranger = await newActor();
    const resident = await newActor();
    const r = await registerPerson(h.db, deps, resident, {
      idType: 'cn_resident',
      idNumber: '11010519491231002X',
      name: '王五',
      relation: 'self',
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const count = async () => (await h.db.select().from(personDocuments)).length;
    const n0 = await count();
    expect(await renew(stranger, p.personId, newPassportNumber())).toEqual({ ok: false, reason: 'not_found' });
    expect(await renew(p.owner, 'not-a-uuid', newPassportNumber())).toEqual({ ok: false, reason: 'not_found' });
    expect(await renew(p.owner, p.personId, q.idNumber)).toEqual({ ok: false, reason: 'document_registered' });
    expect(await renew(p.owner, p.personId, p.idNumber)).toEqual({ ok: false, reason: 'same_document' });
    expect(await renew(p.owner, p.personId, 'E1')).toEqual({ ok: false, errors: { idNumber: 'format' } });
    expect(await renew(p.owner, p.personId, newPassportNumber(), 'CHN')).toEqual({ ok: false, errors: { nationality: 'nationality_chn' } });
    expect(await renew(p.owner, p.personId, newPassportNumber(), 'GBR', mismatch)).toEqual({ ok: false, reason: 'verification_failed' });
    expect(await renew(resident, r.personId, newPassportNumber())).toEqual({ ok: false, reason: 'not_passport' });
    expect(await count()).toBe(n0);
  });

  it('a family member with an account of their own adds their own passport', async () => {
    const p = await passportHolder();
    const guardian = await newActor();
    const asked = await registerPerson(h.db, deps, guardian, {
      idType: 'passport',
      idNumber: p.idNumber,
      nationality: 'GBR',
      gender: 'M',
      birthDate: '1980-04-02',
      name: NAME,
      relation: 'family',
    });
    if (asked.ok || !('requestId' in asked)) throw new Error(JSON.stringify(asked));
    expect(await answerLinkRequest(h.db, p.owner, { requestId: asked.requestId, answer: 'accept' }, new Date())).toMatchObject({
      ok: true,
    });
    expect(await renew(guardian, p.personId, newPassportNumber())).toEqual({ ok: false, reason: 'self_only' });
    expect(await renew(p.owner, p.personId, newPassportNumber())).toEqual({ ok: true });
  });

  it('limits failed real-name checks per account and hour', async () => {
    const p = await passportHolder();
    const now = new Date();
    for (let i = 0; i < RENEWAL_FAILURES_PER_HOUR; i++)
      expect(await renew(p.owner, p.personId, newPassportNumber(), 'GBR', mismatch, now)).toEqual({
        ok: false,
        reason: 'verification_failed',
      });
    expect(await renew(p.owner, p.personId, newPassportNumber(), 'GBR', devIdentityVerifier, now)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
  });

  it('a guardian adds it for a family member; erasing the person erases every document and colour of theirs', async () => {
    const p = await passportHolder('family');
    const renewed = newPassportNumber();
    expect(await renew(p.owner, p.personId, renewed)).toEqual({ ok: true });
    await importStatusBatch(h.db, fieldKeys, {
      batchId: `renew-erase-${renewed}`,
      items: [
        {
          idType: 'passport',
          idNumber: renewed,
          nationality: 'GBR',
          colour: 'red',
          reason: 'close_contact',
          asOf: new Date(Date.now() - 1000).toISOString(),
        },
      ],
    });
    await h.db.transaction(async (tx) => {
      await removeGuardianship(tx, p.owner.accountId, p.personId);
      await erasePerson(tx, p.personId);
    });
    expect(await h.db.select().from(personDocuments).where(eq(personDocuments.personId, p.personId))).toEqual([]);
    for (const n of [p.idNumber, renewed]) {
      expect(await findPersonByIdHash(h.db, hashOf(n))).toBeNull();
      expect(
        await h.db
          .select()
          .from(statusChanges)
          .where(eq(statusChanges.idHash, hashOf(n))),
      ).toEqual([]);
    }
  });

  it('the database keeps documents and the person’s key unchanged', async () => {
    const p = await passportHolder();
    await expect(
      h.db.execute(sql`update person_documents set id_type = 'passport' where person_id = ${p.personId}::uuid`),
    ).rejects.toThrow();
    await expect(h.db.execute(sql`delete from person_documents where person_id = ${p.personId}::uuid`)).rejects.toThrow();
    await expect(h.db.execute(sql`update persons set id_hash = 'x' where id = ${p.personId}::uuid`)).rejects.toThrow(/never changes/);
    // A raw insert of a person under someone's earlier number is refused by the first-document trigger.
    const renewed = newPassportNumber();
    expect(await renew(p.owner, p.personId, renewed)).toEqual({ ok: true });
    const rows = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from person_documents where person_id = ${p.personId}::uuid`),
    );
    expect(rows[0].n).toBe(2);
    await expect(
      h.db.execute(sql`
        insert into persons (id_type, id_hash, id_number_enc, id_number_masked, name_enc, name_masked, gender, birth_date, short_code)
        values ('passport', ${hashOf(renewed)}, 'x', 'E*******1', 'x', 'S****', 'M', date '1980-04-02', 'Z000000001')`),
    ).rejects.toThrow();
    expect((await findPersonByIdHash(h.db, hashOf(renewed)))?.id).toBe(p.personId);
  });
});
