import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

/**
 * A person is an identity (name + ID document), not an account. The ID number and the name are stored
 * encrypted; idHash (a keyed hash of type + number) makes documents unique and findable without
 * decrypting; the masked forms are what every venue-facing query reads.
 */
export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idType: text('id_type').notNull(),
    idHash: text('id_hash').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    nameEnc: text('name_enc').notNull(),
    nameMasked: text('name_masked').notNull(),
    nationality: varchar('nationality', { length: 3 }),
    issueCount: varchar('issue_count', { length: 2 }),
    gender: varchar('gender', { length: 1 }).notNull(),
    birthDate: date('birth_date').notNull(),
    selfAccountId: uuid('self_account_id').references(() => accounts.id),
    codeGeneration: integer('code_generation').notNull().default(1),
    shortCode: varchar('short_code', { length: 10 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('persons_id_hash_uq').on(t.idHash),
    uniqueIndex('persons_short_code_uq').on(t.shortCode),
    // An account has at most one "self" person; a person at most one self account.
    uniqueIndex('persons_self_account_uq').on(t.selfAccountId),
    check('persons_id_type_ck', sql`${t.idType} in ('cn_resident','hk_macao_permit','taiwan_permit','passport')`),
    check('persons_gender_ck', sql`${t.gender} in ('M','F')`),
    check('persons_generation_ck', sql`${t.codeGeneration} >= 1`),
  ],
);

/**
 * Every document a person has been registered with (H4; the FAQ: 如入境后更换过护照…建议尝试使用旧的护照号):
 * the one they registered with, and each renewed passport added since. Any of them finds the person; the
 * newest is shown (persons keeps its number, masked and encrypted). `persons.id_hash` stays the hash of the
 * first document: it is the person's key for colours (status_changes), case contacts and locks, so a
 * renewal moves nothing. A row is added by a trigger on persons (the first document) and by a renewal
 * (lib/identity/documents.ts); never changed or deleted, except with the person (person_erase, cascade).
 */
export const personDocuments = pgTable(
  'person_documents',
  {
    idHash: text('id_hash').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    idType: text('id_type').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    nationality: varchar('nationality', { length: 3 }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    addedByAccountId: uuid('added_by_account_id'),
  },
  (t) => [index('person_documents_person_idx').on(t.personId, t.addedAt)],
);

/**
 * Every code a person held before their current one (the current generation and short code stay on
 * `persons`): which generation, its short code and when it ended (re-issued). A record made with an older
 * code is accepted only when its effective time is before that code ended (a scan taken offline and sent
 * after the re-issue), and it is flagged; a voided code is refused for anything effective after it ended.
 * Written only by the re-issue, under the person's code lock (db/queries/persons.ts); never changed.
 */
export const personCodeHistory = pgTable(
  'person_code_history',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    generation: integer('generation').notNull(),
    shortCode: varchar('short_code', { length: 10 }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.generation] }), uniqueIndex('person_code_history_short_code_uq').on(t.shortCode)],
);

/** An account guards family members (no upper limit); a person may have several guardians. */
export const guardianships = pgTable(
  'guardianships',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.personId] }), index('guardianships_person_idx').on(t.personId)],
);

/** 亮码记录: every opening of a code page, so the person can see the last three days of it (H6). */
export const codeDisplays = pgTable(
  'code_displays',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: text('kind').notNull(),
    displayedAt: timestamp('displayed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('code_displays_person_idx').on(t.personId, t.displayedAt),
    // The retention job deletes displays older than three days (H6).
    index('code_displays_displayed_idx').on(t.displayedAt),
  ],
);

/**
 * A request to link a registered person to an account (SPEC L1): as family (`family`) or as the account's
 * own person (`self`). Answered by the person's own account, or, when they have none, by any of their
 * guardians (for `self`, an official may answer too). Until accepted the requester sees nothing of the
 * person. Expires after LINK_REQUEST_TTL (lib/identity); erased with the person.
 */
export const linkRequests = pgTable(
  'link_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    requesterAccountId: uuid('requester_account_id')
      .notNull()
      .references(() => accounts.id),
    relation: text('relation').$type<'family' | 'self'>().notNull(),
    status: text('status').$type<'pending' | 'accepted' | 'refused' | 'cancelled' | 'expired'>().notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedByAccountId: uuid('resolved_by_account_id'),
  },
  (t) => [
    uniqueIndex('link_requests_pending_uq')
      .on(t.personId, t.requesterAccountId)
      .where(sql`${t.status} = 'pending'`),
    index('link_requests_requester_idx').on(t.requesterAccountId, t.createdAt),
    index('link_requests_person_idx').on(t.personId, t.createdAt),
    check('link_requests_relation_ck', sql`${t.relation} in ('family','self')`),
    check('link_requests_status_ck', sql`${t.status} in ('pending','accepted','refused','cancelled','expired')`),
  ],
);
