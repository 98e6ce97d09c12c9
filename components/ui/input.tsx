import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils/cn';

export function Input({ className, ...props }: ComponentProps<'input'>) {
  return (
    <input
      className={cn(
        'h-12 w-full rounded-xl border border-line bg-white px-4 text-lg text-ink placeholder:text-muted/70',
        'aria-[invalid=true]:border-danger focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100',
        className,
      )}
      {...props}
    />
  );
}
