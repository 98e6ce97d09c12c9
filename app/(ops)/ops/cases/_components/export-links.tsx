import { Download, Printer } from 'lucide-react';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonVariants } from '@/components/ui/button';

/** 打印 and 导出 CSV of a case (SPEC T5): each opening is an export, audited with the read. */
export async function ExportLinks({ caseId }: { caseId: string }) {
  const t = await getTranslations('caseExport');
  return (
    <div className="flex flex-wrap gap-2" data-testid="case-export-links">
      <Link href={`/ops/cases/${caseId}/print`} className={buttonVariants({ variant: 'secondary', size: 'sm' })} prefetch={false}>
        <Printer aria-hidden size={16} />
        {t('printLink')}
      </Link>
      <a
        href={`/ops/cases/${caseId}/export`}
        className={buttonVariants({ variant: 'secondary', size: 'sm' })}
        data-testid="case-export-csv-link"
      >
        <Download aria-hidden size={16} />
        {t('downloadCsv')}
      </a>
    </div>
  );
}
