'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/select';
import { regionChildrenAction } from '../actions';

type Option = { code: string; name: string };
export type RegionLevelOptions = { selected: string; options: Option[] }[];

const LEVEL_KEYS = ['province', 'city', 'district', 'township'] as const;

/**
 * Province → city → district → township/street, as native selects (the phone's own picker). Each
 * choice loads the next level from the server. Dongguan and Zhongshan have no district level: their
 * townships come straight after the city, so the chain is three long there.
 */
export function RegionPicker({
  name,
  initial,
  error,
  errorId,
}: {
  name: string;
  initial: RegionLevelOptions;
  error?: string | null;
  errorId: string;
}) {
  const t = useTranslations('venue');
  const [levels, setLevels] = useState<RegionLevelOptions>(initial);
  const [loading, setLoading] = useState(false);

  useEffect(() => setLevels(initial), [initial]);

  async function choose(index: number, code: string) {
    const kept = levels.slice(0, index + 1).map((l, i) => (i === index ? { ...l, selected: code } : l));
    setLevels(kept);
    if (!code) return;
    setLoading(true);
    const children = await regionChildrenAction(code);
    setLoading(false);
    if (Array.isArray(children) && children.length > 0) setLevels([...kept, { selected: '', options: children }]);
  }

  const last = levels.at(-1);
  const isComplete = Boolean(last?.selected) && levels.length >= 3 && (levels.length === 4 || /^\d{9}$/.test(last!.selected));
  const value = isComplete ? last!.selected : '';
  // Labels follow depth; under Dongguan/Zhongshan the third select is the township.
  const keyFor = (i: number) =>
    i === 2 && levels[2]?.options[0] && /^\d{9}$/.test(levels[2].options[0].code) ? 'township' : LEVEL_KEYS[i];

  return (
    <fieldset aria-describedby={error ? errorId : undefined} className="space-y-2">
      <legend className="mb-1.5 text-sm font-medium">{t('region')}</legend>
      <input type="hidden" name={name} value={value} />
      <div className="grid gap-2 sm:grid-cols-2">
        {levels.map((level, i) => {
          const id = `${name}-${i}`;
          return (
            <div key={id}>
              <Label htmlFor={id} className="text-xs text-muted">
                {t(keyFor(i))}
              </Label>
              <NativeSelect
                id={id}
                value={level.selected}
                aria-invalid={error && !level.selected ? true : undefined}
                onChange={(e) => choose(i, e.target.value)}
              >
                <option value="">{t('choose')}</option>
                {level.options.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          );
        })}
      </div>
      {loading && <p className="text-sm text-muted">{t('loading')}</p>}
      {error && (
        <p id={errorId} className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}
