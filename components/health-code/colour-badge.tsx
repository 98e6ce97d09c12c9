import { CircleCheck, TriangleAlert } from 'lucide-react';
import { getTranslations } from 'next-intl/server';
import type { Colour } from '@/lib/health-code/colours';
import { cn } from '@/lib/utils/cn';

/** Colour is never the only signal: icon + words + colour. */
export async function ColourBadge({ colour, size = 'md' }: { colour: Colour; size?: 'md' | 'lg' }) {
  const t = await getTranslations('healthCode');
  const Icon = colour === 'red' ? TriangleAlert : CircleCheck;
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full font-semibold text-white',
        colour === 'red' ? 'bg-danger' : 'bg-ok',
        size === 'lg' ? 'px-4 py-1.5 text-xl' : 'px-3 py-1 text-base',
      )}
      data-colour={colour}
    >
      <Icon aria-hidden size={size === 'lg' ? 24 : 18} />
      {t(colour)}
    </span>
  );
}
