'use client';

import { Keyboard } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

/**
 * When the camera fails: type the short code printed under the person's QR. The text stays while the
 * code is checked and the temperature taken (a refusal shows its message beside the text still there, to
 * correct it); `saved` counts the typed records saved, and each one clears the field for the next person.
 */
export function TypedCodeForm({ busy, saved, onSubmit }: { busy: boolean; saved: number; onSubmit: (code: string) => void }) {
  const t = useTranslations('door');
  const [code, setCode] = useState('');
  const [cleared, setCleared] = useState(saved);
  if (cleared !== saved) {
    // Adjusted while rendering (not in an effect): the next person's code starts from an empty field.
    setCleared(saved);
    setCode('');
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (code.trim()) onSubmit(code.trim());
      }}
      className="space-y-2"
    >
      <h2 className="flex items-center gap-2 font-semibold">
        <Keyboard aria-hidden size={20} />
        {t('typedTitle')}
      </h2>
      <label htmlFor="typed-code" className="sr-only">
        {t('typedLabel')}
      </label>
      <div className="flex gap-2">
        <Input
          id="typed-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={14}
          placeholder={t('typedPlaceholder')}
          className="font-mono uppercase tracking-widest"
        />
        <Button type="submit" disabled={busy} className="shrink-0">
          {t('typedSubmit')}
        </Button>
      </div>
    </form>
  );
}
