import { describeTownship, listRegionChildren } from './divisions';

/** The picker's starting lists: from the province down to a saved township, or just the first level. */
export function regionPickerLevels(townshipCode: string | null) {
  const served = listRegionChildren(null);
  const place = townshipCode ? describeTownship(townshipCode) : null;
  if (!place) {
    const province = served.length === 1 ? served[0].code : '';
    return [{ selected: province, options: served }, ...(province ? [{ selected: '', options: listRegionChildren(province) }] : [])];
  }
  const chain = [place.province.code, place.city.code, ...(place.district ? [place.district.code] : []), place.township.code];
  return chain.map((code, i) => ({ selected: code, options: i === 0 ? served : listRegionChildren(chain[i - 1]) }));
}
