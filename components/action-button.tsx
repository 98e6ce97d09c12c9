'use client';

import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { toast } from '@/components/ui/toaster';

/**
 * A button that runs a server action, optionally after a confirmation dialog, then reports the result
 * in a toast and refreshes the page. Texts come translated from the caller.
 */
export function ActionButton({
  run,
  label,
  variant = 'secondary',
  confirm,
  success,
  errorText,
  testId,
}: {
  run: () => Promise<{ ok: boolean; reason?: string }>;
  label: ReactNode;
  variant?: 'primary' | 'secondary' | 'danger';
  confirm?: { title: string; body: string; action: string; cancel: string };
  success: string;
  errorText: (reason?: string) => string;
  testId?: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function go() {
    setBusy(true);
    const result = await run();
    setBusy(false);
    if (result.ok) toast.success(success);
    else toast.error(errorText(result.reason));
    router.refresh();
  }
  if (!confirm) {
    return (
      <Button variant={variant} size="sm" onClick={go} disabled={busy} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button variant={variant} size="sm" disabled={busy} data-testid={testId}>
          {label}
        </Button>
      }
      {...confirm}
      onConfirm={go}
    />
  );
}
