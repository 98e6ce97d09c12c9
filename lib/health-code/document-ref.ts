import { validateIdDocument, type IdError, type IdField } from '@/lib/identity/id-documents';

/** A document named by officials and the status feed: type, number and (passports) nationality. */
export type DocumentRef = { idType: string; idNumber: string; nationality?: string | null };

/**
 * Validates only what identifies a document. Gender and birth date are part of registration, not of
 * the reference, so placeholders stand in for them here.
 */
export function checkDocumentNumber(ref: DocumentRef) {
  const result = validateIdDocument({
    idType: ref.idType,
    idNumber: ref.idNumber,
    nationality: ref.nationality ?? undefined,
    gender: 'M',
    birthDate: '2000-01-01',
    issueCount: '00',
  });
  if (result.ok)
    return { ok: true as const, doc: { idType: result.doc.idType, idNumber: result.doc.idNumber, nationality: result.doc.nationality } };
  const errors: Partial<Record<IdField, IdError>> = {};
  for (const f of ['idType', 'idNumber', 'nationality'] as const) if (result.errors[f]) errors[f] = result.errors[f];
  return { ok: false as const, reason: 'invalid_document' as const, errors };
}
