'use client';

import { Delete, Thermometer, TriangleAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { formatTemperature, parseTemperature, PRESET_TEMPERATURES_DECI } from '@/lib/checkin/temperature';
import { cn } from '@/lib/utils/cn';

/**
 * One tap on a preset chip, then confirm (two taps for a normal reading); or the keypad for anything
 * else. A fever is shown unmistakably (colour, icon, words, vibration) before it is confirmed.
 */
export function TemperatureEntry({ busy, onConfirm }: { busy: boolean; onConfirm: (temperature: string) => void }) {
  const t = useTranslations('door');
  const [chosen, setChosen] = useState<string | null>(null);
  const [keypad, setKeypad] = useState(false);
  const [typed, setTyped] = useState('');
  const value = keypad ? typed : chosen;
  const parsed = value ? parseTemperature(value) : null;
  const fever = parsed?.ok && parsed.fever;

  useEffect(() => {
    if (fever && typeof navigator !== 'undefined' && 'vibrate' in navigator) navigator.vibrate?.([200, 100, 200]);
  }, [fever]);

  const press = (key: string) => {
    setTyped((v) => {
      if (key === 'del') return v.slice(0, -1);
      if (key === '.') return v.includes('.') || v.length === 0 ? v : `${v}.`;
      if (v.includes('.') ? v.split('.')[1].length >= 1 : v.length >= 2) return v;
      return v + key;
    });
  };

  const error = parsed && !parsed.ok ? t(`errors.temperature_${parsed.reason}`) : null;
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between">
        <h3 className="flex items-center gap-2 text-lg font-semibold">
          <Thermometer aria-hidden size={20} />
          {t('tempTitle')}
        </h3>
        <button
          type="button"
          className="text-base font-medium text-brand-600 underline-offset-4 hover:underline"
          onClick={() => setKeypad(!keypad)}
        >
          {keypad ? t('presetToggle') : t('keypadToggle')}
        </button>
      </div>
      {keypad ? (
        <div>
          <output
            aria-label={t('keypadLabel')}
            className="mb-2 block h-14 rounded-xl border border-line bg-white text-center font-mono text-4xl leading-[3.5rem]"
            data-testid="keypad-value"
          >
            {typed || '--.-'}
          </output>
          <div className="grid grid-cols-3 gap-2">
            {['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', 'del'].map((key) => (
              <button
                key={key}
                type="button"
                onClick={() => press(key)}
                aria-label={key === 'del' ? t('keypadDelete') : key}
                className="flex h-14 items-center justify-center rounded-xl border border-line bg-white text-2xl font-semibold active:bg-brand-50"
              >
                {key === 'del' ? <Delete aria-hidden /> : key}
              </button>
            ))}
          </div>
        </div>
      ) : (
        <div className="grid grid-cols-4 gap-2 sm:grid-cols-5" role="group" aria-label={t('presetHint')}>
          {PRESET_TEMPERATURES_DECI.map((deci) => {
            const text = formatTemperature(deci);
            return (
              <button
                key={deci}
                type="button"
                aria-pressed={chosen === text}
                onClick={() => setChosen(text)}
                className={cn(
                  'h-14 rounded-xl border text-xl font-semibold tabular-nums',
                  chosen === text ? 'border-brand-600 bg-brand-600 text-white' : 'border-line bg-white text-ink active:bg-brand-50',
                )}
              >
                {text}
              </button>
            );
          })}
        </div>
      )}
      {fever && (
        <p
          role="alert"
          className="flex items-center gap-2 rounded-xl bg-danger p-3 text-lg font-semibold text-white"
          data-testid="fever-warning"
        >
          <TriangleAlert aria-hidden size={24} />
          {t('feverWarning')}
        </p>
      )}
      {error && (
        <p role="alert" className="font-medium text-danger">
          {error}
        </p>
      )}
      <button
        type="button"
        disabled={busy || !parsed?.ok}
        onClick={() => value && onConfirm(value)}
        className={cn(
          'flex h-16 w-full items-center justify-center gap-2 rounded-2xl text-xl font-semibold text-white disabled:opacity-50',
          fever ? 'bg-danger' : 'bg-ok',
        )}
      >
        {fever && <TriangleAlert aria-hidden size={24} />}
        {busy ? t('saving') : parsed?.ok ? (fever ? t('confirmFever', { temp: value! }) : t('confirm', { temp: value! })) : t('presetHint')}
      </button>
    </div>
  );
}
