'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/select';
import { regionChildrenAction } from '@/app/(venue)/venue/actions';

type Option = { code: string; name: string };

/**
 * The venue registration's region picker, held to the actor's region: it starts at their own region (the
 * value when nothing below is chosen) and goes down one level per choice, stopping at any level.
 */
export function RegionBelow({
  name,
  root,
  rootLabel,
  firstLevel,
}: {
  name: string;
  root: string;
  rootLabel: string;
  firstLevel: Option[];
}) {
  const t = useTranslations('officials.people');
  const [levels, setLevels] = useState<{ selected: string; options: Option[] }[]>(
    firstLevel.length > 0 ? [{ selected: '', options: firstLevel }] : [],
  );
  async function choose(index: number, code: string) {
    const kept = levels.slice(0, index + 1).map((l, i) => (i === index ? { ...l, selected: code } : l));
    setLevels(kept);
    if (!code) return;
    const children = await regionChildrenAction(code);
    if (Array.isArray(children) && children.length > 0) setLevels([...kept, { selected: '', options: children }]);
  }
  const value = [...levels].reverse().find((l) => l.selected)?.selected ?? root;
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1.5 text-sm font-medium">{t('region')}</legend>
      <input type="hidden" name={name} value={value} />
      <p className="text-sm text-muted">{t('thisRegion', { region: rootLabel })}</p>
      {levels.map((level, i) => (
        <div key={`${name}-${i}`}>
          <Label htmlFor={`${name}-${i}`} className="text-xs text-muted">
            {t('below')}
          </Label>
          <NativeSelect id={`${name}-${i}`} value={level.selected} onChange={(e) => choose(i, e.target.value)}>
            <option value="">{t('choose')}</option>
            {level.options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      ))}
    </fieldset>
  );
}
