import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import type { VenueDashboard } from '@/lib/stats/venue-dashboard';

/** 检测人次 / 发热人次 per entrance over the chosen days, plus the records taken before entrances existed. */
export async function EntranceTable({ entrances, total }: { entrances: VenueDashboard['entrances']; total: VenueDashboard['rangeTotal'] }) {
  const n = await getTranslations('numbers');
  const nameOf = (e: VenueDashboard['entrances']['rows'][number]) => {
    const name = e.name ?? n('mainEntrance');
    return e.removed ? n('removedEntrance', { name }) : name;
  };
  return (
    <Card>
      <h2 className="font-semibold">{n('entrancesTitle')}</h2>
      <p className="text-sm text-muted">{n('entrancesNote')}</p>
      <table className="mt-2 w-full text-sm" data-testid="table-entrances">
        <thead>
          <tr className="text-left text-muted">
            <th className="py-1">{n('entrance')}</th>
            <th className="text-right">{n('checkins')}</th>
            <th className="text-right">{n('fevers')}</th>
          </tr>
        </thead>
        <tbody>
          {entrances.rows.map((e) => (
            <tr key={e.id} className="border-t border-line tabular-nums" data-testid="entrance-row">
              <th scope="row" className="py-1 text-left font-normal">
                {nameOf(e)}
              </th>
              <td className="text-right">{e.checkins}</td>
              <td className="text-right">{e.fevers}</td>
            </tr>
          ))}
          {entrances.beforeEntrances && (
            <tr className="border-t border-line tabular-nums text-muted" data-testid="entrance-row-before">
              <th scope="row" className="py-1 text-left font-normal">
                {n('beforeEntrances')}
              </th>
              <td className="text-right">{entrances.beforeEntrances.checkins}</td>
              <td className="text-right">{entrances.beforeEntrances.fevers}</td>
            </tr>
          )}
          <tr className="border-t-2 border-line font-semibold tabular-nums">
            <th scope="row" className="py-1 text-left">
              {n('entrancesTotal')}
            </th>
            <td className="text-right">{total.checkins}</td>
            <td className="text-right">{total.fevers}</td>
          </tr>
        </tbody>
      </table>
    </Card>
  );
}
