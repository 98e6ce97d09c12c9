import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { maskPhone } from '@/lib/auth/phone';
import { refuse, route } from '@/lib/http/route';
import { fieldKeysFromEnv } from '@/lib/identity/field-crypto';
import { isRedReason } from '@/lib/health-code/colours';
import { isIdType } from '@/lib/identity/id-documents';
import { toCsv } from '@/lib/stats/csv';
import { caseCsvRows, exportCase } from '@/lib/tracing/case-export';

/**
 * 导出病例 (SPEC T5): the case as one CSV for the health authority — its trajectory and its co-present
 * persons with full names and document numbers, only the visits the official may see. Officials with
 * access to the case only: anyone else gets 404 `not_found` and nothing is written. The read, its audit
 * row (`case.export`) and the timeline's `exported` event are one transaction (lib/tracing/case-export.ts).
 */
export const GET = route<'session', undefined, { id: string }>(
  { auth: 'session', headers: { 'cache-control': 'private, no-store' } },
  async ({ user, params }) => {
    const db = await getDb();
    const x = await exportCase(db, fieldKeysFromEnv(), user.accountId, params?.id, 'csv');
    if (!x) return refuse('not_found');
    // Keys built from the data (a kind, a document type) are checked by the guards, not by next-intl's types.
    type Tr = (key: string, values?: Record<string, string | number>) => string;
    const [t, hc, p] = (await Promise.all([
      getTranslations('caseExport'),
      getTranslations('healthCode'),
      getTranslations('person'),
    ])) as unknown as [Tr, Tr, Tr];
    const rows = caseCsvRows(x, t, {
      kindOf: (kind) => (isRedReason(kind) ? hc(`reasons.${kind}`) : kind),
      idTypeOf: (idType) => (isIdType(idType) ? p(`idTypes.${idType}`) : idType),
      exportedBy: t('exportedBy', { region: x.official.regionName, phone: maskPhone(user.phone) }),
    });
    const filename = `case-${x.view.case.id.slice(0, 8)}-${x.exportedAt.toISOString().slice(0, 10)}.csv`;
    return new Response(toCsv(rows), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'private, no-store',
      },
    });
  },
);
