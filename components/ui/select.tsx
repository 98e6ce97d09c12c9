import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils/cn';

/** The platform's own select: on phones it opens the native picker, which is the easiest to use. */
export function NativeSelect({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'h-12 w-full rounded-xl border border-line bg-white px-3 text-lg text-ink aria-[invalid=true]:border-danger focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100',
        className,
      )}
      {...props}
    />
  );
}
